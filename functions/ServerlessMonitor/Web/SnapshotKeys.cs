using System.Globalization;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Badges;
using ServerlessMonitor.Pages;

namespace ServerlessMonitor.Web;

/// <summary>One answer the snapshot holds: which route, at which path, with which route values (and query, for a page of the list).</summary>
internal sealed record SnapshotItem(string Key, string Route, string Path, IReadOnlyDictionary<string, string> RouteValues)
{
    public string Query { get; init; } = "";
}

/// <summary>
/// Which public answers live in the snapshot (the ones everybody opens during an outage: the overview, each
/// service, the page — every page of a big catalog's list — each service's own page, the badges) and the key a
/// request for one of them is looked up by. A search (<c>?q=</c>) is not in the snapshot: the read cache keeps it per version.
/// </summary>
internal static class SnapshotKeys
{
    public static IEnumerable<SnapshotItem> For(MonitorCatalog catalog, WebOptions web)
    {
        yield return new("status", "GetStatus", "/api/status", Empty);
        yield return new("page", "StatusPage", "/", Empty);
        var pages = catalog.Services.Count > web.PageServices ? ServiceList.PageCount(catalog.Services.Count, web.PageSize) : 1;
        for (var page = 2; page <= pages; page++)
        {
            yield return new(PageKey(page), "StatusPage", "/", Empty) { Query = $"?page={page}" };
        }
        foreach (var service in catalog.Services)
        {
            yield return new($"status/{service.Id}", "GetServiceStatus", $"/api/status/{service.Id}",
                new Dictionary<string, string> { ["service"] = service.Id });
            yield return new($"service-page/{service.Id}", "ServicePage", $"/services/{service.Id}",
                new Dictionary<string, string> { ["service"] = service.Id });
            foreach (var kind in BadgesApi.Kinds)
            {
                yield return new($"badge/{service.Id}/{kind}", "GetBadge", $"/api/badges/{service.Id}/{kind}.svg",
                    new Dictionary<string, string> { ["service"] = service.Id, ["kind"] = kind });
            }
        }
    }

    /// <summary>The snapshot key of a request, or null when it is not served from the snapshot.</summary>
    public static string? Of(string route, HttpRequest request) => route switch
    {
        "StatusPage" => PageKeyOf(request.Query),
        _ => Of(route, request.RouteValues),
    };

    /// <summary>The snapshot key of a route by its route values alone, or null when its route is not served from the snapshot.</summary>
    public static string? Of(string route, RouteValueDictionary values) => route switch
    {
        "GetStatus" => "status",
        "StatusPage" => "page",
        "GetServiceStatus" => $"status/{values["service"]}",
        "ServicePage" => $"service-page/{values["service"]}",
        "GetBadge" => $"badge/{values["service"]}/{values["kind"]}",
        _ => null,
    };

    /// <summary>A page of the list by its number; a search or a bad number has no key (the handler answers those).</summary>
    private static string? PageKeyOf(IQueryCollection query)
    {
        if (query.TryGetValue("q", out var q) && q.Any(v => !string.IsNullOrWhiteSpace(v)))
        {
            return null;
        }
        if (!query.TryGetValue("page", out var page) || page.Count == 0)
        {
            return "page";
        }
        return page.Count == 1 && PageNumber.TryParse(page[0], out var number, out _) ? PageKey(number) : null;
    }

    private static string PageKey(int page) => page == 1 ? "page" : string.Create(CultureInfo.InvariantCulture, $"page/{page}");

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
