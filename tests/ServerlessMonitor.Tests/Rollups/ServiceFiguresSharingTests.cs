using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Rollups;

public sealed class ServiceFiguresSharingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task InsideASnapshotScope_FiguresAreReadOncePerService_EvenWhenHandlersRunSecondsApart()
    {
        // The read snapshot runs the overview, the service document, the page and two badges: all show the same
        // figures. Inside the build's scope they are computed once (the hourly rows, the daily rows of days that are over
        // and those of today), also when the handlers look at the clock seconds apart; outside a scope every call reads
        // the hourly rows and today's daily rows again (the days that are over are kept: DailyHistoryTests).
        using var dir = new TempDirectory();
        var (sqlite, store, tables) = await CountingTableStore.OverNewSqliteAsync(dir);
        await using var disposeStore = sqlite;
        var up = RollupTotals.Empty.Record(ProbeOutcome.Up, maintenance: false, responseMs: 120, answered: true);
        var down = RollupTotals.Empty.Record(ProbeOutcome.Down, maintenance: false, responseMs: 0, answered: false);
        await store.SubmitBatchAsync(tables.Endpoints,
        [
            TableOperation.Insert(new TableEntity("svc.web", RollupKeys.Hourly(Now.AddHours(-2), "local"), up.ToProperties())),
            TableOperation.Insert(new TableEntity("svc.web", RollupKeys.Hourly(Now.AddHours(-1), "local"), down.ToProperties())),
            TableOperation.Insert(new TableEntity("svc.web", RollupKeys.Daily(Now, "local"), up.Add(down).ToProperties())),
        ]);
        var endpoint = new EndpointDefinition { Id = "web", Kind = EndpointKind.Http, Url = new Uri("https://svc.example/") };
        var service = new ServiceDefinition("svc", "Svc", "test", [endpoint]);
        var reader = new RollupReader(store, tables);
        var recent = new RecentRollups(reader, new LiveRollups(), new StatusBoard(store, tables), Options.Create(new MonitorOptions()));
        var figures = new ServiceFigures(recent, new DailyHistory(reader, recent));

        ServiceFiguresDto first, later;
        using (SharedReads.Begin())
        {
            first = await figures.ComputeAsync(service, Now, CancellationToken.None);
            later = await figures.ComputeAsync(service, Now.AddSeconds(4), CancellationToken.None);
            Assert.Equal(3, store.Reads);
        }

        Assert.Equal(0.5, first.Uptime.H24);
        Assert.Equal(0.5, first.Uptime.D30);
        Assert.Equal(first, later);
        await figures.ComputeAsync(service, Now, CancellationToken.None);
        await figures.ComputeAsync(service, Now, CancellationToken.None);
        Assert.Equal(7, store.Reads);
    }
}
