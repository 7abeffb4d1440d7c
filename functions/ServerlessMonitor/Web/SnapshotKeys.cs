using ServerlessMonitor.Catalog;
using ServerlessMonitor.Badges;

namespace ServerlessMonitor.Web;

/// <summary>One answer the snapshot holds: which route, at which path, with which route values.</summary>
internal sealed record SnapshotItem(string Key, string Route, string Path, IReadOnlyDictionary<string, string> RouteValues);

/// <summary>
/// Which public answers live in the snapshot (the ones everybody opens during an outage: the overview, each
/// service, the page, the badges) and the key a request for one of them is looked up by.
/// </summary>
internal static class SnapshotKeys
{
    public static IEnumerable<SnapshotItem> For(MonitorCatalog catalog)
    {
        yield return new("status", "GetStatus", "/api/status", Empty);
        yield return new("page", "StatusPage", "/", Empty);
        foreach (var service in catalog.Services)
        {
            yield return new($"status/{service.Id}", "GetServiceStatus", $"/api/status/{service.Id}",
                new Dictionary<string, string> { ["service"] = service.Id });
            foreach (var kind in BadgesApi.Kinds)
            {
                yield return new($"badge/{service.Id}/{kind}", "GetBadge", $"/api/badges/{service.Id}/{kind}.svg",
                    new Dictionary<string, string> { ["service"] = service.Id, ["kind"] = kind });
            }
        }
    }

    /// <summary>The snapshot key of a request, or null when its route is not served from the snapshot.</summary>
    public static string? Of(string route, RouteValueDictionary values) => route switch
    {
        "GetStatus" => "status",
        "StatusPage" => "page",
        "GetServiceStatus" => $"status/{values["service"]}",
        "GetBadge" => $"badge/{values["service"]}/{values["kind"]}",
        _ => null,
    };

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
