using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Hosting;

/// <summary>
/// How often endpoints are really probed. A cycle probes what is due when the probe timer fires, so an endpoint is
/// probed on the first tick at or after its interval: a 20-s interval under a 30-s schedule is probed every 30 s.
/// The Functions host fires on <see cref="MonitorOptions.ProbeSchedule"/> and cannot do otherwise: such endpoints are
/// reported at load (<see cref="Warnings"/>) and <c>/api/status/{service}</c> shows their effective interval. The
/// standalone host honours the catalog instead: its scheduler ticks as often as the catalog's intervals need
/// (<see cref="StandaloneTick"/>), never faster than <see cref="MinTick"/>.
/// </summary>
public sealed class ProbeCadence(IOptions<MonitorOptions> options, MonitorHost? host = null)
{
    /// <summary>The standalone host never ticks faster: every cycle plans the whole catalog and may rebuild the snapshot.</summary>
    public static readonly TimeSpan MinTick = TimeSpan.FromSeconds(5);

    /// <summary>Both hosts register theirs; a partial wiring without one (a feature's own tests) is taken for standalone.</summary>
    private bool Functions => host?.BehindFunctionsHost ?? false;

    private readonly Lazy<TimeSpan> period = new(() => TimerSchedule.Period(options.Value.ProbeSchedule));

    /// <summary>The longest gap between two runs of the probe schedule.</summary>
    public TimeSpan SchedulePeriod => period.Value;

    private volatile CatalogTick? lastTick;

    /// <summary>
    /// How often the probe timer fires in this host for this catalog. Worked out once per catalog (a catalog never changes;
    /// a reload is a new one): the status answers ask it for every endpoint, which was the whole catalog read once per endpoint.
    /// </summary>
    public TimeSpan Tick(MonitorCatalog catalog)
    {
        if (lastTick is { } known && ReferenceEquals(known.Catalog, catalog))
        {
            return known.Tick;
        }
        var tick = Functions ? SchedulePeriod : StandaloneTick(catalog) ?? SchedulePeriod;
        lastTick = new CatalogTick(catalog, tick);
        return tick;
    }

    private sealed record CatalogTick(MonitorCatalog Catalog, TimeSpan Tick);

    /// <summary>
    /// The standalone tick when the schedule alone would not honour every interval: the largest whole-second step that
    /// divides them all (at least <see cref="MinTick"/>); null when the schedule already does (its period divides them all).
    /// </summary>
    public TimeSpan? StandaloneTick(MonitorCatalog catalog)
    {
        var intervals = Probed(catalog).Select(e => e.Endpoint.Interval).Distinct().ToList();
        if (intervals.Count == 0 || intervals.All(i => Effective(i, SchedulePeriod) == i))
        {
            return null;
        }
        var step = intervals.Select(i => (long)Math.Max(1, Math.Round(i.TotalSeconds))).Aggregate(Gcd);
        return TimeSpan.FromSeconds(Math.Clamp(step, (long)MinTick.TotalSeconds, (long)SchedulePeriod.TotalSeconds));
    }

    /// <summary>The interval an endpoint is really probed at in this host (null for push endpoints, which are not probed).</summary>
    public TimeSpan? EffectiveInterval(EndpointDefinition endpoint, MonitorCatalog catalog) =>
        endpoint.Kind == EndpointKind.Push ? null : Effective(endpoint.Interval, Tick(catalog));

    /// <summary>One line per endpoint probed at another interval than its own, with its JSON path.</summary>
    public IReadOnlyList<string> Warnings(MonitorCatalog catalog)
    {
        var tick = Tick(catalog);
        var source = Functions ? $"the probe schedule ({MonitorOptions.Section}:{nameof(MonitorOptions.ProbeSchedule)} '{options.Value.ProbeSchedule}') fires every {tick:c} at most"
            : $"the standalone scheduler ticks every {tick:c}";
        return Probed(catalog)
            .Select(e => (e.Path, e.Endpoint.Interval, Effective: Effective(e.Endpoint.Interval, tick)))
            .Where(e => e.Effective != e.Interval)
            .Select(e => $"{e.Path}.interval: {e.Interval:c} is {(e.Interval < tick ? "shorter than" : "not a multiple of")} the probe period ({source}); it is probed every {e.Effective:c}")
            .ToList();
    }

    /// <summary>
    /// The first tick at which an endpoint checked on a tick is due again, as the cycle decides it (<c>ProbeCycle.IsDue</c>: the interval
    /// less a slack of a tenth of it, at most 2 s, that absorbs timer jitter).
    /// </summary>
    public static TimeSpan Effective(TimeSpan interval, TimeSpan tick)
    {
        if (interval.Ticks % tick.Ticks == 0)
        {
            return interval;
        }
        var slack = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, interval.Ticks / 10));
        var ticks = Math.Max(1, (long)Math.Ceiling((interval - slack).Ticks / (double)tick.Ticks));
        return TimeSpan.FromTicks(tick.Ticks * ticks);
    }

    private static IEnumerable<(string Path, EndpointDefinition Endpoint)> Probed(MonitorCatalog catalog) =>
        catalog.Services.SelectMany((s, i) => s.Endpoints.Select((e, j) => ($"services[{i}].endpoints[{j}]", e)))
            .Where(e => e.Item2.Kind != EndpointKind.Push);

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}
