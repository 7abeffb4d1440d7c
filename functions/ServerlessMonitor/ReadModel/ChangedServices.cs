namespace ServerlessMonitor.ReadModel;

/// <summary>
/// Which services' public answers may have changed since the read model was last built: the ones a probe was
/// recorded for (the cycle's publish step says so), or all of them after a change this instance cannot place
/// (an admin change, a report, a start with an empty memory). The snapshot build takes the set and re-renders only
/// those services; a build that fails gives it back so the next one renders them.
/// </summary>
public sealed class ChangedServices
{
    private readonly Lock gate = new();
    private HashSet<string> services = new(StringComparer.Ordinal);
    private bool all = true; // nothing was built yet
    private long rareVersion;

    /// <summary>Moves whenever something read rarely (incidents, reports, admin changes) may have changed: what was kept of them is read again.</summary>
    public long RareVersion => Interlocked.Read(ref rareVersion);

    /// <summary>An incident or another rarely changing input was written (by a probe's state change): kept reads of them are stale.</summary>
    public void RarelyChanged() => Interlocked.Increment(ref rareVersion);

    /// <summary>Probes of these services were recorded (their status, figures or last check moved).</summary>
    public void Recorded(IEnumerable<string> serviceIds)
    {
        lock (gate)
        {
            services.UnionWith(serviceIds);
        }
    }

    /// <summary>Something every service may show changed: the next build renders everything.</summary>
    public void Everything()
    {
        RarelyChanged();
        lock (gate)
        {
            all = true;
        }
    }

    /// <summary>Whether anything was recorded (or everything marked) since the last <see cref="Take"/>.</summary>
    internal bool Pending
    {
        get
        {
            lock (gate)
            {
                return all || services.Count > 0;
            }
        }
    }

    /// <summary>What changed since the last call; the tracker starts again from nothing.</summary>
    internal ServiceChanges Take()
    {
        lock (gate)
        {
            var taken = new ServiceChanges(all, services);
            all = false;
            services = new HashSet<string>(StringComparer.Ordinal);
            return taken;
        }
    }

    /// <summary>A build that took these changes did not finish: they are still to be rendered.</summary>
    internal void GiveBack(ServiceChanges changes)
    {
        lock (gate)
        {
            all |= changes.All;
            services.UnionWith(changes.Services);
        }
    }
}

/// <summary>The services to render again (<see cref="All"/>: every one).</summary>
internal sealed record ServiceChanges(bool All, IReadOnlySet<string> Services)
{
    public bool Any => All || Services.Count > 0;

    public bool Touches(string serviceId) => All || Services.Contains(serviceId);
}
