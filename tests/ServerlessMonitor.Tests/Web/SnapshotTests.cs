extern alias functions;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using functions::ServerlessMonitor.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Tests.Hosting;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Web;

/// <summary>The read path is a snapshot: built once per cycle, served from memory with version ETags.</summary>
public class SnapshotTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static readonly string[] WarmRoutes = ["/api/status", "/api/status/{0}", "/", "/api/badges/{0}/status.svg",
        "/api/badges/{0}/uptime.svg", "/api/services/{0}/incidents", "/api/services/{0}/uptime?days=30", "/api/compare"];

    [Fact]
    public async Task GetStatus_BetweenCycles_SameETag304AndNewETagAfterStatusChange()
    {
        const string name = "snap-etag";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        await app.NextCycleAsync();
        var client = app.CreateClient();

        using var first = await client.GetAsync("/api/status");
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        using var second = await SendAsync(client, "/api/status", first.Headers.ETag!.ToString());
        using var third = await client.GetAsync("/api/status");
        fixture.Lab.Switches.Set(name, 500);
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        using var afterChange = await SendAsync(client, "/api/status", first.Headers.ETag!.ToString());

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(first.Headers.ETag, third.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await third.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, afterChange.StatusCode);
        Assert.NotEqual(first.Headers.ETag, afterChange.Headers.ETag);
        Assert.Equal("down", (await afterChange.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetStatus_Warm_GeneratedAtIsWhenTheSnapshotWasBuilt()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "snap-time"));
        await app.NextCycleAsync();
        var built = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromSeconds(25));

        using var response = await app.CreateClient().GetAsync("/api/status");

        Assert.Equal(built, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("generatedAt").GetDateTimeOffset());
        Assert.Equal(built, response.Content.Headers.LastModified);
        Assert.Equal("public, max-age=15, stale-while-revalidate=30", response.Headers.CacheControl?.ToString());
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task GetPage_AcceptEncoding_PrecompressedVariantOfTheSameBytes(string coding)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "snap-enc"));
        await app.NextCycleAsync();
        var client = app.CreateClient();
        var identity = await client.GetByteArrayAsync("/");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", coding);

        using var response = await client.SendAsync(request);
        await using var compressed = await response.Content.ReadAsStreamAsync();
        await using Stream decoder = coding == "br" ? new BrotliStream(compressed, CompressionMode.Decompress) : new GZipStream(compressed, CompressionMode.Decompress);
        using var decoded = new MemoryStream();
        await decoder.CopyToAsync(decoded);

        Assert.Equal(coding, Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Equal(identity, decoded.ToArray());
    }

    [Fact]
    public async Task WarmRequests_Standalone_NoStorageRead()
    {
        const string name = "snap-reads";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name)) { ConfigureServices = CountingTableStore.Install };
        await app.NextCycleAsync();
        var client = app.CreateClient();
        var routes = WarmRoutes.Select(r => string.Format(r, name)).ToList();
        foreach (var route in routes)
        {
            (await client.GetAsync(route)).EnsureSuccessStatusCode(); // the history reads fill their cache once per version
        }
        var store = app.Services.GetRequiredService<CountingTableStore>();
        var before = store.Reads;

        foreach (var route in routes)
        {
            using var response = await client.GetAsync(route);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(0, store.Reads - before);
    }

    [Fact]
    public async Task WarmRequests_FunctionsApp_NoStorageRead()
    {
        const string name = "snap-fn-reads";
        await using var app = await FunctionsWiring.StartAsync(LabCatalog.Switches(fixture.Lab, name), configureServices: CountingTableStore.Install);
        await app.Function<TimerFunctions>().ProbeTimer(new TimerInfo(), CancellationToken.None);
        var store = app.Services.GetRequiredService<CountingTableStore>();
        var before = store.Reads;

        var functions = app.Function<PublicFunctions>();
        var answers = new[]
        {
            await app.HttpAsync(functions.GetStatus, "GET", "/api/status"),
            await app.HttpAsync(r => functions.GetServiceStatus(r, name), "GET", $"/api/status/{name}"),
            await app.HttpAsync(functions.StatusPage, "GET", "/"),
            await app.HttpAsync(r => functions.GetBadge(r, name, "status"), "GET", $"/api/badges/{name}/status.svg"),
        };

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Equal(0, store.Reads - before);
    }

    [Fact]
    public async Task Restart_StoredSnapshot_ServedWithTheSameVersion()
    {
        const string name = "snap-stored";
        using var dir = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Storage:SqlitePath"] = dir.File("shared.db") };
        await using var first = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), settings);
        await first.NextCycleAsync();
        using var original = await first.CreateClient().GetAsync($"/api/status/{name}");
        await using var second = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), settings);
        var client = second.CreateClient();

        // The first request starts loading the stored snapshot and is answered without waiting for it.
        HttpResponseMessage? loaded = null;
        for (var i = 0; i < 100 && loaded?.Headers.ETag != original.Headers.ETag; i++)
        {
            loaded?.Dispose();
            await Task.Delay(i == 0 ? 0 : 50);
            loaded = await client.GetAsync($"/api/status/{name}");
        }

        Assert.Equal(original.Headers.ETag, loaded!.Headers.ETag);
        Assert.Equal(await original.Content.ReadAsStringAsync(), await loaded.Content.ReadAsStringAsync());
        loaded.Dispose();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string ifNoneMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return client.SendAsync(request);
    }
}
