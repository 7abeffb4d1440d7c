using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Incidents;

/// <summary>How incident notes are stored on the incident row (the same web JSON the admin API answers with).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<IncidentNote>))]
internal sealed partial class IncidentNotesJsonContext : JsonSerializerContext;
