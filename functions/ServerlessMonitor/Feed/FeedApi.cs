using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Api;
using ServerlessMonitor.Incidents;

namespace ServerlessMonitor.Feed;

/// <summary>GET /api/feed.atom — incidents of every service, newest first, for feed readers and chat integrations.</summary>
public static class FeedApi
{
    public const int MaxEntries = 100;

    public static readonly TimeSpan Window = TimeSpan.FromDays(90);

    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new("GetFeed", "GET", "/api/feed.atom", GetFeed)
        {
            Tag = "Feed", ContentType = FeedAtomWriter.ContentType, Summary = "Atom feed of incidents",
            Description = $"Incidents of all services that started in the last {Window.TotalDays:0} days, newest first, at most {MaxEntries} "
                + "entries: start, end, duration, regions, likely cause and operator notes.",
        },
    ];

    private static async Task<ContentHttpResult> GetFeed(CatalogProvider catalog, IncidentReader reader,
        IOptions<MonitorOptions> options, IOptions<AlertsOptions> alerts, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var services = catalog.Current.Services;
        var incidents = new List<IncidentRecord>();
        foreach (var service in services)
        {
            incidents.AddRange(await reader.ReadAsync(service, now - Window, now.AddSeconds(1), ct));
        }
        var names = services.ToDictionary(s => s.Id, s => s.Name);
        var entries = incidents.OrderByDescending(i => i.Start).ThenBy(i => i.Id, StringComparer.Ordinal).Take(MaxEntries)
            .Select(i => new FeedEntry(i, names.GetValueOrDefault(i.Service, i.Service), alerts.Value.StatusLink(i.Service)))
            .ToList();
        // The feed is cached per snapshot version and sent as public to everyone, CDNs included: its links never come from the
        // request (a forged Host would poison it for all). Absolute from the configured status page URL, else relative to the feed.
        var baseUrl = alerts.Value.StatusPageUrl is { } page ? page.AbsoluteUri.TrimEnd('/') : "";
        var xml = FeedAtomWriter.Write(options.Value.Instance, baseUrl, entries, now);
        return TypedResults.Text(xml, FeedAtomWriter.ContentType, Encoding.UTF8);
    }
}
