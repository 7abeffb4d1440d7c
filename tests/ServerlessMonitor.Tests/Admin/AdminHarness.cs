using System.Net.Http.Json;
using System.Text.Json;
using OutageLab;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Admin;

/// <summary>Settings and clients for admin tests, and a real incident made the way production makes one.</summary>
public static class AdminHarness
{
    public const string Key = "test-admin-key-0123456789";

    public static Dictionary<string, string?> WithKey(Dictionary<string, string?>? settings = null)
    {
        var s = settings ?? [];
        s["Admin:Key"] = Key;
        return s;
    }

    public static HttpClient AdminClient(this MonitorAppFactory app, string? key = Key)
    {
        var client = app.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Admin-Key", key);
        }
        return client;
    }

    /// <summary>Up, three failing cycles (down), two good ones (resolved): one finished outage.</summary>
    public static async Task ResolvedOutageAsync(this MonitorAppFactory app, OutageLabServer lab, string name)
    {
        await app.NextCycleAsync();
        lab.Switches.Set(name, 500);
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        lab.Switches.Up(name);
        for (var i = 0; i < 2; i++)
        {
            await app.NextCycleAsync();
        }
    }

    public static async Task<JsonElement> IncidentsAsync(this MonitorAppFactory app, string service) =>
        (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/services/{service}/incidents")).GetProperty("incidents");
}
