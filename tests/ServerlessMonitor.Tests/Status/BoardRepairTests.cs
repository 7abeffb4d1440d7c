using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OutageLab;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Status;

/// <summary>
/// The read model heals itself: a cycle that committed a status change but could not write the board leaves the change
/// to be published by the next cycle, and the service status event it could not raise is raised then, once.
/// </summary>
[Collection("Azurite")]
public sealed class BoardRepairTests(AzuriteFixture azurite) : LabTest
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task Recovery_BoardWriteFailedInTheCycleThatCommittedIt_NextCycleShowsUpAndSendsStatusChangedOnce(string backend)
    {
        using var dir = new TempDirectory();
        await using var receivers = await AlertReceivers.StartAsync();
        var settings = Backends.Settings(backend, azurite, dir.File("b.db"), "br" + Guid.NewGuid().ToString("N")[..8]).With(receivers.Settings());
        BoardWritesFailStore? store = null;
        await using var app = new MonitorAppFactory(LabCatalog.Switches(Lab, "shop"), settings)
        {
            ConfigureServices = services => EveryNthReadFailsStore.Install(services, inner => store = new BoardWritesFailStore(inner)),
        };
        Lab.Switches.Up("shop");
        await app.NextCycleAsync();
        Lab.Switches.Set("shop", 500);
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        Assert.Equal("down", await app.EndpointStatusAsync("shop"));

        // The two good probes that make it Up again are committed, but the board cannot be written meanwhile.
        Lab.Switches.Up("shop");
        store!.Failing = true;
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        store.Failing = false;
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Recovered"));

        // One steady Up cycle: nothing changes any more, and still the board, snapshot and API agree with the state rows.
        await app.NextCycleAsync();
        await app.NextCycleAsync();

        Assert.Equal("up", await app.EndpointStatusAsync("shop"));
        var overview = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status");
        Assert.Equal("up", overview.GetProperty("services")[0].GetProperty("status").GetString());
        var changes = receivers.TopicEvents("ServerlessMonitor.Service.StatusChanged")
            .Select(e => e.GetProperty("data").GetProperty("status").GetString()).ToList();
        Assert.Equal(["down", "up"], changes);
    }

    [Fact]
    public async Task PublishAsync_SteadyCycle_RepairReadsNothing_AfterAFailedBoardWriteOneBoardScanOneRowReadAndTheEventsDelivery()
    {
        await using var receivers = await AlertReceivers.StartAsync();
        BoardWritesFailStore? failing = null;
        CountingTableStore? counted = null;
        await using var app = new MonitorAppFactory(LabCatalog.Switches(Lab, "steady"), receivers.Settings())
        {
            ConfigureServices = services => EveryNthReadFailsStore.Install(services,
                inner => counted = new CountingTableStore(failing = new BoardWritesFailStore(inner))),
        };
        Lab.Switches.Up("steady");
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        var publisher = app.Services.GetRequiredService<CyclePublisher>();

        var reads = counted!.Reads;
        await publisher.PublishAsync([], app.Clock.GetUtcNow(), default);
        Assert.Equal(0, counted.Reads - reads);

        // A status change the board could not take: the next publish reads the board once (service events) and the row once,
        // then delivers the one service event it raised (the service's outbox scan and the event's row).
        Lab.Switches.Set("steady", 500);
        failing!.Failing = true;
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        failing.Failing = false;
        reads = counted.Reads;
        await publisher.PublishAsync([], app.Clock.GetUtcNow(), default);
        Assert.Equal(2 + 2, counted.Reads - reads);
        await app.NextCycleAsync();
        Assert.Equal("down", await app.EndpointStatusAsync("steady"));
    }

    /// <summary>While failing, refuses every write to the board's rows (the Status table's status partition).</summary>
    private sealed class BoardWritesFailStore(ITableStore inner) : DelegatingTableStore(inner)
    {
        public volatile bool Failing;

        public override Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default) =>
            Failing && operations[0].Entity.PartitionKey == MonitorTables.StatusPartition
                ? throw new TableStoreException(TableErrorKind.Unavailable, "injected: board unwritable")
                : Inner.SubmitBatchAsync(table, operations, ct);
    }
}
