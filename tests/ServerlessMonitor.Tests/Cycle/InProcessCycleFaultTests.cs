using OutageLab;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// The in-process cycle under a store that keeps failing: whatever a shard throws, its worker goes on, the cycle
/// ends, says why it is incomplete, and the next tick runs (no tick is ever skipped for a cycle that hung).
/// </summary>
public sealed class InProcessCycleFaultTests : LabTest
{
    // 12 shards of the default 250: more than the 4 workers plus the channel's 4 places.
    private const int Services = 300;
    private const int EndpointsPerService = 10;
    [Fact]
    public async Task RunAsync_3000EndpointsStoreFailsEveryTenthRead_EveryTickCompletes()
    {
        EveryNthReadFailsStore? store = null;
        await using var app = new MonitorAppFactory(Catalog())
        {
            ConfigureServices = services => EveryNthReadFailsStore.Install(services, inner => store = new EveryNthReadFailsStore(inner, 10)),
        };
        _ = app.Services;

        for (var tick = 0; tick < 3; tick++)
        {
            // A hung cycle never returns: the wait turns that into a failure instead of a stuck test run.
            var lines = await app.FireProbeTimerAsync().WaitAsync(TimeSpan.FromMinutes(4));
            var line = Assert.Single(lines);
            Assert.DoesNotContain("skipped", line, StringComparison.Ordinal);
            Assert.StartsWith("probe cycle:", line, StringComparison.Ordinal);
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.True(store!.Refused > 0);
        // The reason a cycle was incomplete is logged, not swallowed.
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("injected: every nth read refused", StringComparison.Ordinal));
    }

    private string Catalog() => $$"""
        { "services": [ {{string.Join(",", Enumerable.Range(0, Services).Select(s => $$"""
            { "id": "svc{{s:D3}}", "name": "Service {{s}}", "endpoints": [ {{string.Join(",", Enumerable.Range(0, EndpointsPerService).Select(e => $$"""
                { "id": "e{{e}}", "url": "{{Lab.Http($"/healthy?s={s}&e={e}")}}", "interval": "00:01:00", "timeout": "00:00:05" }
                """))}} ] }
            """))}} ] }
        """;
}
