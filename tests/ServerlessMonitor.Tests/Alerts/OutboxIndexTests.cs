using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// The AlertsTimer's sweep reads only where something may be pending (issue 24): the index of partitions with outbox rows.
/// Reads are counted as an operator sees them, on the store's own metrics (MeteredTableStore).
/// </summary>
public sealed class OutboxIndexTests : IAsyncLifetime
{
    private const int Services = 60;
    private const int EndpointsPerService = 5;
    private MonitorAppFactory _app = null!;
    private ReadCounter _reads = null!;

    public Task InitializeAsync()
    {
        _app = new MonitorAppFactory(Catalog());
        _reads = new ReadCounter(_app.Services.GetRequiredService<IMeterFactory>());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _reads.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task DispatchPendingAsync_NothingPending_OneQueryWhateverTheCatalog()
    {
        var dispatcher = _app.Services.GetRequiredService<OutboxDispatcher>();
        // The first sweep of a process looks everywhere (the repair for a mark lost in a crash).
        Assert.True(await _reads.DuringAsync(() => dispatcher.DispatchPendingAsync(default)) > Services * EndpointsPerService);

        var idle = await _reads.DuringAsync(() => dispatcher.DispatchPendingAsync(default));

        Assert.InRange(idle, 1, 3);
    }

    [Fact]
    public async Task DispatchPendingAsync_MarkedPartition_DeliversThenClearsTheMark()
    {
        var dispatcher = _app.Services.GetRequiredService<OutboxDispatcher>();
        await dispatcher.DispatchPendingAsync(default);
        var row = await WriteAlertAsync("svc7.e3", mark: true);

        await dispatcher.DispatchPendingAsync(default);
        Assert.Equal(OutboxRows.Delivered, (await ReadAsync(row))!.GetString(OutboxRows.StateProperty));
        // Pending when scanned: the mark stays for one more look, which finds nothing and clears it.
        Assert.Contains("svc7.e3", (await Index().ReadAsync(default)).Keys);
        await dispatcher.DispatchPendingAsync(default);
        Assert.Empty(await Index().ReadAsync(default));
        Assert.InRange(await _reads.DuringAsync(() => dispatcher.DispatchPendingAsync(default)), 1, 3);
    }

    [Fact]
    public async Task DispatchAsync_WriterWithoutMark_PartitionMarkedForTheSweep()
    {
        var dispatcher = _app.Services.GetRequiredService<OutboxDispatcher>();
        await dispatcher.DispatchPendingAsync(default);
        await WriteAlertAsync("svc9", mark: false);

        await dispatcher.DispatchAsync(["svc9"], default);

        Assert.Equal(["svc9"], (await Index().ReadAsync(default)).Keys);
    }

    [Fact]
    public async Task OutboxWriter_ProcessDiesBeforeItsDispatch_NextSweepDeliversTheRow()
    {
        var dispatcher = _app.Services.GetRequiredService<OutboxDispatcher>();
        await dispatcher.DispatchPendingAsync(default); // the process's first (full) sweep is behind us: only marks are looked at now
        var now = _app.Clock.GetUtcNow();
        var alert = AlertEvents.Create(AlertTypes.ServiceDown, "test", "svc4", null, now, new AlertData { Service = "svc4", Status = "down" },
            AlertEvents.IdSeed("svc4", "i9", AlertTypes.ServiceDown));
        var row = OutboxRows.Create("svc4", alert, now);

        await _app.Services.GetRequiredService<OutboxWriter>().SubmitAsync([TableOperation.Insert(row)], default); // and no DispatchAsync after it

        Assert.Equal(["svc4"], (await Index().ReadAsync(default)).Keys);
        await dispatcher.DispatchPendingAsync(default);
        Assert.Equal(OutboxRows.Delivered, (await ReadAsync(row))!.GetString(OutboxRows.StateProperty));
    }

    [Fact]
    public async Task DispatchPendingAsync_IndexUnreadable_ReportsItAndThrowsNothing()
    {
        EveryNthReadFailsStore? store = null;
        await using var app = new MonitorAppFactory(Catalog())
        {
            ConfigureServices = services => EveryNthReadFailsStore.Install(services, inner => store = new EveryNthReadFailsStore(inner, 1)),
        };
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();

        var report = await dispatcher.DispatchPendingAsync(default);

        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("Outbox index not read", StringComparison.Ordinal));
        Assert.True(store!.Refused > 0);
        Assert.NotNull(report);
    }

    [Fact]
    public async Task ClearAsync_MarkedAgainSinceRead_KeepsTheNewMark()
    {
        var index = Index();
        await index.MarkAsync("svc1.e1", default);
        var read = (await index.ReadAsync(default))["svc1.e1"];
        await index.MarkAsync("svc1.e1", default);

        await index.ClearAsync("svc1.e1", read, default);

        Assert.Contains("svc1.e1", (await index.ReadAsync(default)).Keys);
    }

    private OutboxIndex Index() => _app.Services.GetRequiredService<OutboxIndex>();

    private async Task<TableEntity> WriteAlertAsync(string partition, bool mark)
    {
        var now = _app.Clock.GetUtcNow();
        var alert = AlertEvents.Create(AlertTypes.EndpointDown, "test", "svc7", "e3", now, new AlertData { Service = "svc7", Endpoint = "e3", Status = "down" },
            AlertEvents.IdSeed(partition, "i1", AlertTypes.EndpointDown));
        if (mark)
        {
            await Index().MarkAsync(partition, default);
        }
        var row = OutboxRows.Create(partition, alert, now);
        await _app.Services.GetRequiredService<ITableStore>().ExecuteAsync(_app.Services.GetRequiredService<MonitorTables>().Endpoints, TableOperation.Insert(row));
        return row;
    }

    private Task<TableEntity?> ReadAsync(TableEntity row) =>
        _app.Services.GetRequiredService<ITableStore>().GetAsync(_app.Services.GetRequiredService<MonitorTables>().Endpoints, row.PartitionKey, row.RowKey);

    private static string Catalog() => $$"""
        { "services": [ {{string.Join(",", Enumerable.Range(0, Services).Select(s => $$"""
            { "id": "svc{{s}}", "name": "Service {{s}}", "endpoints": [ {{string.Join(",", Enumerable.Range(0, EndpointsPerService).Select(e => $$"""
                { "id": "e{{e}}", "url": "http://127.0.0.1:9/{{s}}/{{e}}" }
                """))}} ] }
            """))}} ] }
        """;

    /// <summary>The store reads of one app (its own meter factory), as its metrics count them.</summary>
    private sealed class ReadCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _reads;

        public ReadCounter(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == MeteredTableStore.ReadsCounter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _reads, value));
            _listener.Start();
        }

        public async Task<long> DuringAsync(Func<Task> action)
        {
            var before = Interlocked.Read(ref _reads);
            await action();
            return Interlocked.Read(ref _reads) - before;
        }

        public void Dispose() => _listener.Dispose();
    }
}
