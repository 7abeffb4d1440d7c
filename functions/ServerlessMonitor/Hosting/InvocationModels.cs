using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Hosting;

/// <summary>What the Functions host POSTs to a custom handler for a non-HTTP trigger.</summary>
public sealed record InvocationRequest(
    [property: JsonPropertyName("Data")] Dictionary<string, JsonElement>? Data,
    [property: JsonPropertyName("Metadata")] Dictionary<string, JsonElement>? Metadata)
{
    /// <summary>
    /// The timer binding's IsPastDue. The host sends the binding data either as an object or as a
    /// JSON string holding the object, depending on version; both are accepted.
    /// </summary>
    public bool IsPastDue()
    {
        foreach (var value in Data?.Values ?? Enumerable.Empty<JsonElement>())
        {
            var timer = value;
            if (value.ValueKind == JsonValueKind.String)
            {
                try
                {
                    timer = JsonDocument.Parse(value.GetString()!).RootElement;
                }
                catch (JsonException)
                {
                    continue;
                }
            }
            if (timer.ValueKind == JsonValueKind.Object && timer.TryGetProperty("IsPastDue", out var p) && p.ValueKind == JsonValueKind.True)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>The custom-handler invocation response the Functions host expects.</summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] Dictionary<string, string> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ReturnValue);
