using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Web;

/// <summary>Source-generated JSON for every wire type the app writes or reads.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(StatusOverviewDto))]
[JsonSerializable(typeof(ServiceStatusDto))]
[JsonSerializable(typeof(IncidentListDto))]
[JsonSerializable(typeof(CheckPageDto))]
[JsonSerializable(typeof(UptimeHistoryDto))]
[JsonSerializable(typeof(CompareDto))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
