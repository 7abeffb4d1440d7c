using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessMonitor.Incidents;

namespace ServerlessMonitor.Admin;

/// <summary>Source-generated JSON for the admin API's wire types and the stored incident notes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MaintenanceListDto))]
[JsonSerializable(typeof(MaintenanceWindowDto))]
[JsonSerializable(typeof(NoteRequest))]
[JsonSerializable(typeof(IncidentNotesDto))]
[JsonSerializable(typeof(List<IncidentNote>))]
[JsonSerializable(typeof(ProbeResultDto))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
