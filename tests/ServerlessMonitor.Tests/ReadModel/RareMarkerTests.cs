using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Reports;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.ReadModel;

/// <summary>
/// Two hosts on one Table Storage store: what one writes that the other kept (incidents, reports) shows in the other's next
/// build, because the writer moves the shared read model marker and every build reads it first.
/// </summary>
[Collection("Azurite")]
public class RareMarkerTests(AzuriteFixture azurite) : LabTest
{
    [Fact]
    public async Task Publish_IncidentUpdatePostedOnAnotherHost_ShowsInTheNextBuild()
    {
        const string name = "rare-upd";
        var (first, second) = Hosts(name);
        await using var _ = first;
        await using var __ = second;
        await first.ResolvedOutageAsync(Lab, name); // the first host probes an outage, then builds and keeps its incident
        var before = await PublishAsync(first);
        second.Clock.Advance(first.Clock.GetUtcNow() - second.Clock.GetUtcNow());
        var id = Assert.Single((await second.IncidentsAsync(name)).EnumerateArray()).GetProperty("id").GetString()!;

        using var posted = await second.AdminClient().PostAsJsonAsync($"/api/admin/incidents/{id}/updates",
            new { state = "resolved", text = "Root cause found on the second host" });
        var after = await PublishAsync(first);

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.DoesNotContain("Root cause found on the second host", Page(before, name), StringComparison.Ordinal);
        Assert.Contains("Root cause found on the second host", Page(after, name), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ReportPostedOnAnotherHost_ShowsInTheNextBuild()
    {
        const string name = "rare-rep";
        var (first, second) = Hosts(name);
        await using var _ = first;
        await using var __ = second;
        await first.NextCycleAsync();
        var before = await PublishAsync(first);
        second.Clock.Advance(first.Clock.GetUtcNow() - second.Clock.GetUtcNow());

        using var posted = await second.CreateClient().PostAsync("app", service: name);
        var after = await PublishAsync(first);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Contains("0 report(s) in the last 15 minutes", Page(before, name), StringComparison.Ordinal);
        Assert.Contains("1 report(s) in the last 15 minutes", Page(after, name), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_MarkerCannotBeWritten_ReportStillCountedAndTheFailureLogged()
    {
        const string name = "rare-wfail";
        await using var app = Host(name, Settings(name), MarkerFailure.Install);

        using var posted = await app.CreateClient().PostAsync("app", service: name);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.True((await posted.JsonAsync()).GetProperty("counted").GetBoolean());
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Read model marker not moved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publish_MarkerCannotBeRead_KeptIncidentsReadAgain()
    {
        const string name = "rare-rfail";
        await using var app = Host(name, Settings(name), MarkerFailure.Install);
        await app.NextCycleAsync();
        await PublishAsync(app);
        var failure = app.Services.GetRequiredService<MarkerFailure>();

        var before = failure.IncidentQueries;
        await PublishAsync(app);

        // Not knowing whether another instance wrote incidents, the build reads them again (the safe side).
        Assert.True(failure.IncidentQueries > before);
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("Read model marker not read", StringComparison.Ordinal));
    }

    /// <summary>Two hosts on the same tables, without their cycle listeners (the test builds).</summary>
    private (MonitorAppFactory First, MonitorAppFactory Second) Hosts(string name)
    {
        var settings = Settings(name);
        return (Host(name, settings), Host(name, settings));
    }

    private MonitorAppFactory Host(string name, Dictionary<string, string?> settings, Action<IServiceCollection>? more = null) =>
        new(LabCatalog.Switches(Lab, name), settings)
        {
            ConfigureServices = services =>
            {
                services.RemoveAll<ICycleListener>();
                more?.Invoke(services);
            },
        };

    private Dictionary<string, string?> Settings(string name) => ReportsHarness.Settings(AdminHarness.WithKey(Backends.Settings("tables", azurite,
        Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.db"), name.Replace("-", "") + Guid.NewGuid().ToString("N")[..8])));

    private static async Task<PublicSnapshot> PublishAsync(MonitorAppFactory app)
    {
        var snapshots = app.Services.GetRequiredService<ReadSnapshots>();
        await snapshots.PublishAsync(CancellationToken.None);
        return snapshots.Current!;
    }

    private static string Page(PublicSnapshot snapshot, string service) => Encoding.UTF8.GetString(snapshot.Entries[$"service-page/{service}"].Identity);

    /// <summary>The store the app registered, except that the read model marker can be neither read nor written; counts the incident queries.</summary>
    private sealed class MarkerFailure(ITableStore inner) : DelegatingTableStore(inner)
    {
        private long incidentQueries;

        public long IncidentQueries => Interlocked.Read(ref incidentQueries);

        public static void Install(IServiceCollection services)
        {
            var original = services.Last(d => d.ServiceType == typeof(ITableStore));
            services.AddSingleton(sp => new MarkerFailure((ITableStore)original.ImplementationFactory!(sp)));
            services.Replace(ServiceDescriptor.Singleton<ITableStore>(sp => sp.GetRequiredService<MarkerFailure>()));
        }

        public override Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default) =>
            partitionKey == MonitorTables.ReadModelPartition ? throw Unavailable() : Inner.GetAsync(table, partitionKey, rowKey, ct);

        public override Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
            IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default)
        {
            if (range.From?.StartsWith("incident-", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref incidentQueries);
            }
            return Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);
        }

        public override Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default) =>
            operations.Any(o => o.Entity.PartitionKey == MonitorTables.ReadModelPartition) ? throw Unavailable() : Inner.SubmitBatchAsync(table, operations, ct);

        private static TableStoreException Unavailable() => new(TableErrorKind.Unavailable, "marker unavailable (test)");
    }
}
