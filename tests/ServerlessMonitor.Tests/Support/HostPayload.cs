using System.Text;
using System.Text.Json.Nodes;

namespace ServerlessMonitor.Tests.Support;

/// <summary>Request bodies shaped like the ones the Functions host sends to a custom handler.</summary>
public static class HostPayload
{
    /// <summary>
    /// A timer invocation. The host has sent the binding data both as an object and as a JSON string
    /// holding that object (<paramref name="asString"/>); the app must accept either.
    /// </summary>
    public static StringContent Timer(string function, string bindingName = "timer", DateTimeOffset? now = null, bool asString = false,
        bool isPastDue = false)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var timer = new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = new JsonObject
            {
                ["Last"] = at.AddSeconds(-30).ToString("O"),
                ["Next"] = at.AddSeconds(30).ToString("O"),
                ["LastUpdated"] = at.AddSeconds(-30).ToString("O"),
            },
            ["IsPastDue"] = isPastDue,
        };
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { [bindingName] = asString ? JsonValue.Create(timer.ToJsonString()) : timer },
            ["Metadata"] = new JsonObject
            {
                ["sys"] = new JsonObject
                {
                    ["MethodName"] = function,
                    ["UtcNow"] = at.ToString("O"),
                    ["RandGuid"] = Guid.NewGuid().ToString(),
                },
            },
        };
        return new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
    }
}
