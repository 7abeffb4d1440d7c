using ServerlessMonitor.Catalog;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Notifications;

/// <summary>
/// Which catalog dependency (dependsOn) of a service's failing endpoints is down, as the status board says after
/// this cycle was published: every shard's endpoints, so a dependency probed elsewhere counts too.
/// </summary>
public static class DependencyCheck
{
    /// <summary>The first dependsOn target of the failing endpoints that is down now, or null.</summary>
    public static string? DownDependency(MonitorCatalog catalog, ServiceDefinition service, IEnumerable<string> failing,
        IReadOnlyDictionary<string, StatusRow> board)
    {
        foreach (var endpoint in service.Endpoints.Where(e => failing.Contains(e.Id)))
        {
            foreach (var target in Dependencies.Of(service, endpoint))
            {
                if (Dependencies.Resolve(catalog.Services, target).Any(t =>
                        board.TryGetValue(MonitorTables.EndpointPartition(t.Service, t.Endpoint), out var row) && row.Status == HealthStatus.Down))
                {
                    return target;
                }
            }
        }
        return null;
    }

    /// <summary>True when the service or any of its endpoints has a dependsOn.</summary>
    public static bool HasAny(ServiceDefinition service) => service.DependsOn.Count > 0 || service.Endpoints.Any(e => e.DependsOn.Count > 0);

    /// <summary>The board cause of a dependant's failing endpoints.</summary>
    public static CauseFinding Cause(string dependency) => LikelyCause.DependencyDown(dependency);

    /// <summary>
    /// Names the dependency as the cause on the dependant endpoints' incident rows (the history, /api/incidents), merged
    /// after the probe's own write of the row, which names the probe's cause.
    /// </summary>
    public static Task MarkIncidentRowsAsync(ITableStore store, MonitorTables tables, IEnumerable<(RecordedProbe Probe, string IncidentKey)> rows,
        string dependency, CancellationToken ct)
    {
        var cause = Cause(dependency);
        return Task.WhenAll(rows.Select(r => store.SubmitBatchAsync(tables.Endpoints, [TableOperation.UpsertMerge(new TableEntity(
            MonitorTables.EndpointPartition(r.Probe.Service.Id, r.Probe.Endpoint.Id), r.IncidentKey, new Dictionary<string, object?>
            {
                ["Cause"] = cause.Cause, ["CauseLabel"] = cause.Label, ["Evidence"] = cause.Evidence,
            }))], ct)));
    }
}
