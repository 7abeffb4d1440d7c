using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Telemetry;

/// <summary>
/// <c>serverlessmonitor.endpoint.status</c>: how many endpoints are in each status, per service (or 1 per endpoint
/// with Telemetry:PerEndpointMetrics), in this region, as this instance last recorded them. Read when a reader
/// collects, from the states the cycle already holds in memory: collecting never reads storage.
/// </summary>
public sealed class EndpointStatusGauge
{
    private readonly CatalogProvider _catalog;
    private readonly EndpointStates _states;
    private readonly string _region;
    private readonly bool _perEndpoint;

    public EndpointStatusGauge(CatalogProvider catalog, EndpointStates states, IOptions<MonitorOptions> monitor, IOptions<TelemetryOptions> options,
        IMeterFactory meters)
    {
        _catalog = catalog;
        _states = states;
        _region = monitor.Value.Region;
        _perEndpoint = options.Value.PerEndpointMetrics;
        meters.Create(MonitorTelemetry.Name).CreateObservableUpDownCounter("serverlessmonitor.endpoint.status", Measure, "{endpoint}",
            "Endpoints by current status (probed by this instance)");
    }

    private IEnumerable<Measurement<long>> Measure()
    {
        var counts = new Dictionary<(string Service, string? Endpoint, HealthStatus Status), long>();
        foreach (var (service, endpoint) in _catalog.Current.AllEndpoints())
        {
            if (_states.TryPeek(MonitorTables.EndpointPartition(service.Id, endpoint.Id), out var stored))
            {
                var key = (service.Id, _perEndpoint ? endpoint.Id : null, stored.State.Status);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }
        return counts.Select(c => new Measurement<long>(c.Value, Tags(c.Key)));
    }

    private KeyValuePair<string, object?>[] Tags((string Service, string? Endpoint, HealthStatus Status) key) => key.Endpoint is null
        ? [new(TelemetryAttributes.Service, key.Service), new(TelemetryAttributes.Region, _region), new(TelemetryAttributes.Status, key.Status.ToWire())]
        : [new(TelemetryAttributes.Service, key.Service), new(TelemetryAttributes.Endpoint, key.Endpoint), new(TelemetryAttributes.Region, _region),
           new(TelemetryAttributes.Status, key.Status.ToWire())];
}

/// <summary>Creates the status gauge with the host (registered only when metrics are exported): resolving it creates its instrument.</summary>
internal sealed class GaugeStart : IHostedService
{
    public GaugeStart(EndpointStatusGauge gauge) => _ = gauge;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
