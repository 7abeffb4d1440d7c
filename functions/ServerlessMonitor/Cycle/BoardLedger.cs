using System.Collections.Concurrent;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The read model's repair path, in memory: every global change this instance committed stays here until the status
/// board shows it (or a newer revision). A cycle whose board write failed leaves its changes here, and the next cycle
/// publishes them again — with the service status events they would have raised — even when its own probes changed
/// nothing. A steady cycle costs nothing: no store read, only a look at an empty dictionary.
/// </summary>
public sealed class BoardLedger
{
    private readonly ConcurrentDictionary<string, RecordedProbe> _unpublished = new(StringComparer.Ordinal);

    /// <summary>Takes note of the cycle's committed global changes; a later revision of an endpoint replaces an earlier one.</summary>
    public void Committed(IEnumerable<RecordedProbe> recorded)
    {
        foreach (var r in recorded)
        {
            if (r.Global is { } g)
            {
                // Merged, the change runs from the state the board last showed to the newest: a status change is never lost.
                _unpublished.AddOrUpdate(Key(r), r, (_, known) => known.Global!.State.Revision >= g.State.Revision
                    ? known
                    : r with { Global = g with { Previous = known.Global.Previous } });
            }
        }
    }

    /// <summary>Every global change the board does not show yet, the latest per endpoint.</summary>
    public IReadOnlyList<RecordedProbe> Unpublished() => [.. _unpublished.Values];

    /// <summary>The board shows this change (or a newer one); forgotten unless a newer change came in meanwhile.</summary>
    public void Published(RecordedProbe recorded) => _unpublished.TryRemove(new KeyValuePair<string, RecordedProbe>(Key(recorded), recorded));

    private static string Key(RecordedProbe r) => MonitorTables.EndpointPartition(r.Service.Id, r.Endpoint.Id);
}
