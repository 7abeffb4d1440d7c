using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OutageLab;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.ReadModel;

/// <summary>
/// After a steady cycle the snapshot is built from what the probes here already hold (this hour's and today's rollups
/// in memory, past hours once an hour, incidents and reports on change): a build reads almost nothing, answers byte for
/// byte what the store path answers, and never hides what another instance wrote to a shared store.
/// </summary>
[Collection("Azurite")]
public class SnapshotFromMemoryTests(AzuriteFixture azurite, OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private const int Services = 30;
    private const int EndpointsPerService = 4;

    [Fact]
    public async Task Publish_SteadyCycleOnSqlite_ReadsAtMostFiveHundredthsOfARowPerProbe()
    {
        await using var app = App("mem-sq", Settings("sqlite", "mem-sq"), CountingTableStore.Install);
        var store = app.Services.GetRequiredService<CountingTableStore>();

        var (reads, rows) = await SteadyBuildAsync(app, () => (store.Reads, store.RowsRead));

        // The board's own query (a page of rows) and the monitor's location rows are all a steady build reads.
        Assert.True(reads / (double)Endpoints <= 0.05, $"{reads} reads ({rows} rows) for {Endpoints} probes");
    }

    [Fact]
    public async Task Publish_SteadyCycleOnTables_ReadsNoRollupIncidentOrReportRowOnlyTheMarker()
    {
        await using var app = App("mem-tb", Settings("tables", "mem-tb"), RollupReadCounter.Install);
        var counter = app.Services.GetRequiredService<RollupReadCounter>();

        var (queries, markerReads) = await SteadyBuildAsync(app, () => (counter.RollupQueries + counter.IncidentAndReportQueries, counter.MarkerReads));

        // Incidents and reports are kept on a shared store too: the read model marker (one point read) says when another instance wrote some.
        Assert.Equal(0, queries);
        Assert.Equal(1, markerReads);
    }

    [Fact]
    public async Task Publish_IncidentOpenedAndResolved_SameBytesAsTheStorePathAfterARestart()
    {
        var settings = Settings("sqlite", "mem-eq");
        var catalog = Catalog("mem-eq");
        PublicSnapshot fromMemory;
        DateTimeOffset builtAt;
        {
            await using var app = new MonitorAppFactory(catalog, settings);
            await RunOutageAsync(app, "mem-eq-3-1");
            fromMemory = app.Services.GetRequiredService<ReadSnapshots>().Current!;
            builtAt = app.Clock.GetUtcNow();
        }
        // A new process on the same file, at the same time, with nothing in memory: the store path answers.
        await using var restarted = new MonitorAppFactory(catalog, settings);
        restarted.Clock.Advance(builtAt - restarted.Clock.GetUtcNow());
        var snapshots = restarted.Services.GetRequiredService<ReadSnapshots>();
        await snapshots.PublishAsync(CancellationToken.None);

        AssertSameAnswers(snapshots.Current!, fromMemory);
        // The outage opened and resolved after the first builds kept the (empty) incident history: the page shows it all the same.
        Assert.DoesNotContain("No incidents.", Encoding.UTF8.GetString(fromMemory.Entries["page"].Identity), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_AnotherHostRecordedSince_ShowsWhatItWrote()
    {
        var settings = Settings("tables", "mem-sh");
        var catalog = Catalog("mem-sh");
        await using var first = App("mem-sh", settings);
        await using var second = App("mem-sh", settings);
        await first.NextCycleAsync(); // 12:01: the first host probes and builds from its memory
        await PublishAsync(first);

        // 12:02: the other host probes one endpoint down, then the first host builds without probing.
        fixture.Lab.Switches.Down("mem-sh-0-0");
        second.Clock.Advance(TimeSpan.FromMinutes(2));
        await second.FireProbeTimerAsync();
        first.Clock.Advance(TimeSpan.FromMinutes(1));
        var built = await PublishAsync(first);
        fixture.Lab.Switches.Up("mem-sh-0-0");

        AssertSameAnswers(built, await PublishAsync(second));
        Assert.DoesNotContain("\"h24\":1,", Encoding.UTF8.GetString(built.Entries["status/mem-sh-0"].Identity), StringComparison.Ordinal);
    }

    private static int Endpoints => Services * EndpointsPerService;

    /// <summary>Three warm cycles (state, memory and kept reads in place), then one more steady cycle: what its build alone costs.</summary>
    private static async Task<(long, long)> SteadyBuildAsync(MonitorAppFactory app, Func<(long, long)> counted)
    {
        for (var i = 0; i < 4; i++)
        {
            await app.NextCycleAsync();
            if (i < 3)
            {
                await PublishAsync(app);
            }
        }
        var before = counted();
        await PublishAsync(app);
        var after = counted();
        return (after.Item1 - before.Item1, after.Item2 - before.Item2);
    }

    /// <summary>Up, up, one endpoint down (an outage opens), down, up (it resolves), up: a build after each cycle.</summary>
    private async Task RunOutageAsync(MonitorAppFactory app, string endpointSwitch)
    {
        for (var cycle = 0; cycle < 6; cycle++)
        {
            if (cycle == 2)
            {
                fixture.Lab.Switches.Down(endpointSwitch);
            }
            if (cycle == 4)
            {
                fixture.Lab.Switches.Up(endpointSwitch);
            }
            await app.NextCycleAsync();
        }
    }

    private static async Task<PublicSnapshot> PublishAsync(MonitorAppFactory app)
    {
        var snapshots = app.Services.GetRequiredService<ReadSnapshots>();
        await snapshots.PublishAsync(CancellationToken.None);
        return snapshots.Current!;
    }

    private static void AssertSameAnswers(PublicSnapshot actual, PublicSnapshot expected)
    {
        Assert.Equal(expected.Entries.Keys.Order(), actual.Entries.Keys.Order());
        foreach (var (key, entry) in expected.Entries)
        {
            Assert.True(entry.Identity.AsSpan().SequenceEqual(actual.Entries[key].Identity),
                $"{key} differs:\n{Encoding.UTF8.GetString(actual.Entries[key].Identity)}\nexpected:\n{Encoding.UTF8.GetString(entry.Identity)}");
        }
    }

    /// <summary>The app without its cycle listeners (the test builds), on its own tables.</summary>
    private MonitorAppFactory App(string tag, Dictionary<string, string?> settings, Action<IServiceCollection>? more = null) =>
        new(Catalog(tag), settings)
        {
            ConfigureServices = services =>
            {
                services.RemoveAll<ICycleListener>();
                more?.Invoke(services);
            },
        };

    private Dictionary<string, string?> Settings(string backend, string tag) =>
        Backends.Settings(backend, azurite, Path.Combine(Path.GetTempPath(), $"{tag}-{Guid.NewGuid():N}.db"), tag.Replace("-", "") + Guid.NewGuid().ToString("N")[..8]);

    /// <summary><see cref="Services"/> services of <see cref="EndpointsPerService"/> http endpoints each, every one on its own lab switch.</summary>
    private string Catalog(string tag) => Catalog(fixture.Lab, tag);

    private static string Catalog(OutageLabServer lab, string tag) => $$"""
        { "services": [ {{string.Join(",", Enumerable.Range(0, Services).Select(s => $$"""
            { "id": "{{tag}}-{{s}}", "name": "Mem {{s}}", "category": "lab", "endpoints": [ {{string.Join(",", Enumerable.Range(0, EndpointsPerService).Select(e => $$"""
                { "id": "e{{e}}", "kind": "http", "url": "{{lab.Http($"/switch/{tag}-{s}-{e}")}}", "interval": "00:01:00", "timeout": "00:00:05",
                  "failureThreshold": 1, "successThreshold": 1, "conditions": ["[STATUS] == 200"] }
                """))}} ] }
            """))}} ] }
        """;

    /// <summary>Counts the queries over rollup, incident and report rows and the reads of the marker, wrapping whatever store the app registered.</summary>
    private sealed class RollupReadCounter(ITableStore inner) : DelegatingTableStore(inner)
    {
        private long queries;
        private long rareQueries;
        private long markerReads;

        public long RollupQueries => Interlocked.Read(ref queries);

        public long IncidentAndReportQueries => Interlocked.Read(ref rareQueries);

        public long MarkerReads => Interlocked.Read(ref markerReads);

        public static void Install(IServiceCollection services)
        {
            var original = services.Last(d => d.ServiceType == typeof(ITableStore));
            services.AddSingleton(sp => new RollupReadCounter((ITableStore)original.ImplementationFactory!(sp)));
            services.Replace(ServiceDescriptor.Singleton<ITableStore>(sp => sp.GetRequiredService<RollupReadCounter>()));
        }

        public override Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
            IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default)
        {
            if (range.From?.StartsWith("rollup-", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref queries);
            }
            if (range.From?.StartsWith("incident-", StringComparison.Ordinal) == true || table.EndsWith("Reports", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref rareQueries);
            }
            return Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);
        }

        public override Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default)
        {
            if (partitionKey == MonitorTables.ReadModelPartition)
            {
                Interlocked.Increment(ref markerReads);
            }
            return Inner.GetAsync(table, partitionKey, rowKey, ct);
        }
    }
}
