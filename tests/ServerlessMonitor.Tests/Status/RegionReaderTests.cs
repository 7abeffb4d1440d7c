using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Status;

public sealed class RegionReaderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly ServiceDefinition Service = new("svc", "Svc", "test",
        [new EndpointDefinition { Id = "web", Kind = EndpointKind.Http, Url = new Uri("https://svc.example/") }]);
    private readonly TempDirectory _dir = new();
    private SqliteTableStore _sqlite = null!;
    private CountingTableStore _store = null!;
    private MonitorTables _tables = null!;

    public async Task InitializeAsync() => (_sqlite, _store, _tables) = await CountingTableStore.OverNewSqliteAsync(_dir);

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task RegionsOnTheBoard_AreReadFromIt_InRegionOrder_WithoutTheEndpointsStateRows()
    {
        var properties = new Dictionary<string, object?>();
        foreach (var (region, status, since) in new[] { ("us", "up", Now.AddHours(-5)), ("eu-west", "down", Now.AddMinutes(-3)) })
        {
            var columns = RegionColumns.For(region);
            properties[columns.Status] = status;
            properties[columns.Since] = since;
            properties[columns.LastCheck] = Now;
        }
        await _store.ExecuteAsync(_tables.Status, TableOperation.UpsertMerge(new TableEntity(MonitorTables.StatusPartition, "svc.web", properties)));
        var reader = Reader();

        var regions = await reader.ReadAsync(Service, CancellationToken.None);

        Assert.Equal(
            [new RegionStatusDto("web", "eu-west", HealthStatus.Down, Now.AddMinutes(-3), Now), new RegionStatusDto("web", "us", HealthStatus.Up, Now.AddHours(-5), Now)],
            regions);
        Assert.Equal(1, _store.Reads); // the board
    }

    [Fact]
    public async Task ABoardRowFromBeforeRegionColumns_FallsBackToTheStateRows()
    {
        await _store.ExecuteAsync(_tables.Status, TableOperation.UpsertMerge(new TableEntity(MonitorTables.StatusPartition, "svc.web",
            new Dictionary<string, object?> { ["Status"] = "up", ["LastCheck"] = Now })));
        var state = EndpointState.Initial with { Status = HealthStatus.Degraded, Since = Now.AddMinutes(-10), LastCheck = Now };
        await _store.ExecuteAsync(_tables.Endpoints, TableOperation.UpsertReplace(StateRows.ToEntity("svc.web", MonitorTables.StateKey("eu"), state, null)));
        await _store.ExecuteAsync(_tables.Endpoints, TableOperation.UpsertReplace(StateRows.ToEntity("svc.web", MonitorTables.GlobalStateKey, state, null)));

        var regions = await Reader().ReadAsync(Service, CancellationToken.None);

        Assert.Equal([new RegionStatusDto("web", "eu", HealthStatus.Degraded, Now.AddMinutes(-10), Now)], regions);
    }

    private RegionReader Reader() =>
        new(_store, _tables, new StatusBoard(_store, _tables, Options.Create(new MonitorOptions())));
}
