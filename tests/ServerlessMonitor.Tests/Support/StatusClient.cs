using System.Net.Http.Json;
using System.Text.Json;

namespace ServerlessMonitor.Tests.Support;

public static class StatusClient
{
    /// <summary>The status of one endpoint as /api/status/{service} reports it.</summary>
    public static async Task<JsonElement> EndpointAsync(this MonitorAppFactory app, string service, string endpoint = "web")
    {
        var s = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/status/{service}");
        return s.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("id").GetString() == endpoint);
    }

    public static async Task<string?> EndpointStatusAsync(this MonitorAppFactory app, string service, string endpoint = "web") =>
        (await app.EndpointAsync(service, endpoint)).GetProperty("status").GetString();

    /// <summary>Moves the clock one interval on and fires the timer, as the host would a minute later.</summary>
    public static async Task NextCycleAsync(this MonitorAppFactory app, TimeSpan? interval = null)
    {
        app.Clock.Advance(interval ?? TimeSpan.FromMinutes(1));
        await app.FireProbeTimerAsync();
    }
}
