using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Web;

/// <summary>
/// The ProbeTimer as the hosts fire it: the probe cycle, then the public read model built once from what
/// the cycle recorded. Wrapping the timer keeps the dependency pointing from the read side to the probes.
/// </summary>
internal sealed class SnapshotAfterProbes(ITimerFunction probes, ReadSnapshots snapshots) : ITimerFunction
{
    public string Name => probes.Name;

    public string ScheduleSetting => probes.ScheduleSetting;

    public string Schedule => probes.Schedule;

    public bool RunsAtStartup => probes.RunsAtStartup;

    public async Task<IReadOnlyList<string>> RunAsync(bool isPastDue, CancellationToken ct)
    {
        var lines = await probes.RunAsync(isPastDue, ct);
        await snapshots.PublishAsync(ct);
        return lines;
    }

    /// <summary>Replaces the registered ProbeTimer with itself around it.</summary>
    public static void Wrap(IServiceCollection services)
    {
        var probeTimer = services.Single(d => d.ServiceType == typeof(ITimerFunction) && d.ImplementationType == typeof(Cycle.ProbeTimerFunction));
        services.Remove(probeTimer);
        services.AddSingleton<ITimerFunction>(sp => new SnapshotAfterProbes(
            (ITimerFunction)ActivatorUtilities.CreateInstance(sp, probeTimer.ImplementationType!), sp.GetRequiredService<ReadSnapshots>()));
    }
}
