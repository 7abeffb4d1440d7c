using System.Text.Json;
using OutageLab;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>
/// A service incident whose write fails is not lost: the next cycle re-derives it from the endpoints' states and its message goes
/// out once, and its recovery after it. Each backend.
/// </summary>
[Collection("Azurite")]
public sealed class ServiceIncidentRepairTests(AzuriteFixture azurite) : LabTest
{
    private static readonly string[] Endpoints = ["api", "cdn", "web"];
    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task Cycle_ServiceIncidentWriteFailed_NextCycleReDerivesItAndSendsDownOnceThenRecovered(string backend)
    {
        var service = "rep-" + backend;
        using var dir = new TempDirectory();
        await using var slack = await ChannelRig.FakeAsync(ChannelKind.Slack);
        await using var receivers = await AlertReceivers.StartAsync();
        var settings = ChannelRig.Settings(ChannelKind.Slack, slack.Url, "ops").With(receivers.Settings())
            .With(Backends.Settings(backend, azurite, dir.File("r.db"), "rp" + Guid.NewGuid().ToString("N")[..8]));
        ServicePartitionFails? store = null;
        await using var app = new MonitorAppFactory(NotificationLab.Catalog(Lab, [(service, Endpoints, null)]), settings)
        {
            ConfigureServices = services => EveryNthReadFailsStore.Install(services, inner => store = new ServicePartitionFails(inner, service)),
        };
        await app.NextCycleAsync();
        Set(service, 500);
        store!.Failing = true;
        await app.NextCycleAsync();
        var whileFailing = receivers.TopicEvents("ServerlessMonitor.Service.Down").Count;
        store.Failing = false;
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        Set(service, 200);
        await app.NextCycleAsync();
        await app.NextCycleAsync();

        Assert.True(store.Refused > 0);
        Assert.Equal(0, whileFailing);
        Assert.Equal(3, receivers.TopicEvents("ServerlessMonitor.Endpoint.Down").Count);
        var down = Assert.Single(receivers.TopicEvents("ServerlessMonitor.Service.Down")).GetProperty("data");
        Assert.Equal(Endpoints, down.GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("server-error", down.GetProperty("likelyCause").GetString());
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Service.Recovered"));
        Assert.Equal([$"Lab {service} is down", $"Lab {service} is back after 3 min"],
            slack.Accepted.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()));
    }

    private void Set(string service, int status)
    {
        foreach (var e in Endpoints)
        {
            Lab.Switches.Set($"{service}-{e}", status);
        }
    }

    /// <summary>Refuses every batch to the service's own partition (its incident row and service-level outbox) while failing.</summary>
    private sealed class ServicePartitionFails(ITableStore inner, string service) : DelegatingTableStore(inner)
    {
        private int _refused;

        public bool Failing { get; set; }

        public int Refused => _refused;

        public override Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
        {
            if (Failing && operations.Any(o => o.Entity.PartitionKey == service))
            {
                Interlocked.Increment(ref _refused);
                throw new TableStoreException(TableErrorKind.Unavailable, "injected: the service partition refuses writes");
            }
            return base.SubmitBatchAsync(table, operations, ct);
        }
    }
}
