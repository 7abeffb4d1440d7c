using System.Net.Http.Json;
using System.Text.Json;
using OutageLab;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Web;

/// <summary>
/// Two instances on one Table Storage account, as Azure Functions scales HTTP out: only one probes, the
/// other serves what the prober stored, and picks up a newer version once its refresh interval has passed.
/// </summary>
[Collection("Azurite")]
public sealed class SnapshotSharingTests(AzuriteFixture azurite) : LabTest
{
    [Fact]
    public async Task ReaderInstance_StoredSnapshotOfTheProber_ServedAndRefreshedAfterTheInterval()
    {
        const string name = "snap-shared";
        using var dir = new TempDirectory();
        var settings = Backends.Settings("tables", azurite, dir.File("unused.db"), "sh" + Guid.NewGuid().ToString("N")[..8]);
        settings["Web:SnapshotRefresh"] = "00:00:05";
        var catalog = LabCatalog.Switches(Lab, name).Replace("\"conditions\"", "\"failureThreshold\": 1, \"conditions\"");
        await using var prober = new MonitorAppFactory(catalog, settings);
        await using var reader = new MonitorAppFactory(catalog, settings);

        await prober.NextCycleAsync();
        var first = await ETagOfAsync(prober, name);
        var servedFirst = await WaitForAsync(reader, name, first);
        Lab.Switches.Set(name, 500);
        await prober.NextCycleAsync();
        var second = await ETagOfAsync(prober, name);
        reader.Clock.Advance(TimeSpan.FromSeconds(6));
        var servedSecond = await WaitForAsync(reader, name, second);

        Assert.Equal("up", servedFirst.GetProperty("status").GetString());
        Assert.NotEqual(first, second);
        Assert.Equal("down", servedSecond.GetProperty("status").GetString());
    }

    private static async Task<string> ETagOfAsync(MonitorAppFactory app, string service)
    {
        using var response = await app.CreateClient().GetAsync($"/api/status/{service}");
        return response.Headers.ETag!.Tag;
    }

    /// <summary>Polls the reader (which never probes) until it answers with <paramref name="etag"/>; requests never wait for a load.</summary>
    private static async Task<JsonElement> WaitForAsync(MonitorAppFactory reader, string service, string etag)
    {
        var client = reader.CreateClient();
        for (var i = 0; i < 200; i++)
        {
            using var response = await client.GetAsync($"/api/status/{service}");
            if (response.Headers.ETag?.Tag == etag)
            {
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the reader never served {etag}");
    }
}
