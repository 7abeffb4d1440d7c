using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Status;

public sealed class RegionReaderTests : CountedSqliteTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly ServiceDefinition Service = new("svc", "Svc", "test",
        [new EndpointDefinition { Id = "web", Kind = EndpointKind.Http, Url = new Uri("https://svc.example/") }]);

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
        await Store.ExecuteAsync(Tables.Status, TableOperation.UpsertMerge(new TableEntity(MonitorTables.StatusPartition, "svc.web", properties)));
        var reader = Reader();

        var regions = await reader.ReadAsync(Service, CancellationToken.None);

        Assert.Equal(
            [new RegionStatusDto("web", "eu-west", HealthStatus.Down, Now.AddMinutes(-3), Now), new RegionStatusDto("web", "us", HealthStatus.Up, Now.AddHours(-5), Now)],
            regions);
        Assert.Equal(1, Store.Reads); // the board
    }

    [Fact]
    public async Task ABoardRowFromBeforeRegionColumns_FallsBackToTheStateRows()
    {
        await Store.ExecuteAsync(Tables.Status, TableOperation.UpsertMerge(new TableEntity(MonitorTables.StatusPartition, "svc.web",
            new Dictionary<string, object?> { ["Status"] = "up", ["LastCheck"] = Now })));
        var state = EndpointState.Initial with { Status = HealthStatus.Degraded, Since = Now.AddMinutes(-10), LastCheck = Now };
        await Store.ExecuteAsync(Tables.Endpoints, TableOperation.UpsertReplace(StateRows.ToEntity("svc.web", MonitorTables.StateKey("eu"), state, null)));
        await Store.ExecuteAsync(Tables.Endpoints, TableOperation.UpsertReplace(StateRows.ToEntity("svc.web", MonitorTables.GlobalStateKey, state, null)));

        var regions = await Reader().ReadAsync(Service, CancellationToken.None);

        Assert.Equal([new RegionStatusDto("web", "eu", HealthStatus.Degraded, Now.AddMinutes(-10), Now)], regions);
    }

    private RegionReader Reader() =>
        new(Store, Tables, new StatusBoard(Store, Tables));
}
