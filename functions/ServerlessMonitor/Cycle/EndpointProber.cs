using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Maintenance;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Telemetry;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The probe step for one endpoint: the probe with its confirmation retry, at most Monitor:MaxConcurrency at a time
/// per instance (a failed probe waits for its retry without holding a slot), counted in telemetry and looked up in the
/// maintenance calendar.
/// </summary>
public sealed class EndpointProber
{
    private readonly Dictionary<EndpointKind, IProber> _probers;
    private readonly MaintenanceCalendar _maintenance;
    private readonly ProbeTelemetry _telemetry;
    private readonly ResiliencePipeline<Observation> _confirm;
    private readonly SemaphoreSlim _probeSlots;

    public EndpointProber(IEnumerable<IProber> probers, MaintenanceCalendar maintenance, IOptions<MonitorOptions> options, ProbeTelemetry telemetry)
    {
        _probers = probers.ToDictionary(p => p.Kind);
        _maintenance = maintenance;
        _telemetry = telemetry;
        _probeSlots = new SemaphoreSlim(options.Value.MaxConcurrency, options.Value.MaxConcurrency);
        _confirm = new ResiliencePipelineBuilder<Observation>()
            .AddRetry(new RetryStrategyOptions<Observation>
            {
                MaxRetryAttempts = 1,
                Delay = options.Value.ConfirmationDelay,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.Outcome == ProbeOutcome.Down),
            })
            .Build();
    }

    /// <summary>Probes the endpoint for <paramref name="slot"/> and says whether a maintenance window covers it then.</summary>
    public async Task<ProbedEndpoint> ProbeAsync(MonitorCatalog catalog, ServiceDefinition service, EndpointDefinition endpoint, DateTimeOffset slot,
        CancellationToken ct)
    {
        var total = CycleProfile.Start();
        var observation = await ProbeEndpointAsync(endpoint, slot, ct);
        _telemetry.Probed(service, endpoint, observation);
        var maintenance = CycleProfile.Start();
        var inMaintenance = await _maintenance.CoversAsync(catalog, service.Id, endpoint.Id, slot, ct);
        CycleProfile.Stop(ProfileStep.Maintenance, maintenance);
        CycleProfile.Stop(ProfileStep.ProbeTotal, total);
        return new ProbedEndpoint(service, endpoint, observation, inMaintenance);
    }

    /// <summary>One probe with its confirmation retry, under the instance's probe slots.</summary>
    internal async Task<Observation> ProbeEndpointAsync(EndpointDefinition endpoint, DateTimeOffset slot, CancellationToken ct)
    {
        var attempts = 0;
        var prober = _probers[endpoint.Kind];
        return await _confirm.ExecuteAsync(async token =>
        {
            var waiting = CycleProfile.Start();
            await _probeSlots.WaitAsync(token);
            CycleProfile.Stop(ProfileStep.ProbeSlotWait, waiting);
            try
            {
                attempts++;
                var http = CycleProfile.Start();
                var response = await prober.ProbeAsync(endpoint, token);
                CycleProfile.Stop(ProfileStep.ProbeHttp, http);
                var judging = CycleProfile.Start();
                var judged = ObservationJudge.Judge(endpoint, response, slot, attempts);
                CycleProfile.Stop(ProfileStep.Judge, judging);
                return judged;
            }
            finally
            {
                _probeSlots.Release();
            }
        }, ct);
    }
}
