using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Reports;

/// <summary>Source-generated JSON for the reports wire types and the messages kept in bucket rows.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReportAcceptedDto))]
[JsonSerializable(typeof(ReportsDto))]
[JsonSerializable(typeof(ReportInput))]
[JsonSerializable(typeof(List<StoredMessage>))]
internal sealed partial class ReportsJsonContext : JsonSerializerContext;
