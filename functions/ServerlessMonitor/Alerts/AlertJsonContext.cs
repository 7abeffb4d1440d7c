using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Alerts;

/// <summary>
/// The wire format of alerts: camelCase data fields, ISO 8601 dates, null fields left out.
/// Outbox rows store exactly these bytes, so every sink sends what was written with the state change.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertEvent))]
[JsonSerializable(typeof(AlertData))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
