using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Pages.Fragments;
using ServerlessMonitor.ReadModel;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Web;

/// <summary>
/// Builds the public read model once: runs each snapshot route's own handler (the same code that answers
/// a cold request, without the filters) into memory and keeps what it answered. An answer whose bytes did
/// not change keeps its previous entry — same ETag, no recompression — so a badge's ETag only moves when
/// the badge does. Incrementally (this instance's own store, same catalog, same minute as the previous build) only
/// the services whose probes were recorded since are rendered again (<see cref="ChangedServices"/>), the overview and
/// the page only when one was, and a build with nothing changed returns the previous snapshot itself. Once a minute
/// everything is rendered, so what moves with the clock alone (figures' windows, "since", the page's time) stays current.
/// The pages take each service's section and list row from <see cref="FragmentCache"/> (rendered again only when what they
/// show changed), and nothing is compressed here: an answer is compressed once, when first asked for so (<see cref="SnapshotEntry"/>).
/// </summary>
internal sealed class SnapshotBuilder(IServiceProvider services, CatalogProvider catalog, ChangedServices changed, FragmentCache fragments,
    IOptions<WebOptions> web, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, RequestDelegate> handlers = new();

    public async Task<PublicSnapshot> BuildAsync(PublicSnapshot? previous, bool incremental, CancellationToken ct)
    {
        var builtAt = time.GetUtcNow();
        var changes = changed.Take();
        var plan = incremental && previous is not null && SameMinute(previous.BuiltAt, builtAt) ? changes : changes with { All = true };
        try
        {
            return await BuildAsync(previous, plan, builtAt, ct);
        }
        catch
        {
            changed.GiveBack(changes);
            throw;
        }
    }

    private async Task<PublicSnapshot> BuildAsync(PublicSnapshot? previous, ServiceChanges plan, DateTimeOffset builtAt, CancellationToken ct)
    {
        var items = SnapshotKeys.For(catalog.Current, web.Value).ToList();
        var render = items.Where(i => Renders(i, plan)).ToList();
        if (render.Count == 0 && previous is not null)
        {
            return previous;
        }
        var started = Stopwatch.GetTimestamp();
        if (plan.All)
        {
            fragments.KeepOnly(FragmentKeys.For(catalog.Current.Services.Select(s => s.Id))); // a service that left keeps no fragment
        }
        // The handlers read the same board and rollup rows: each is read once per build. They run side by side
        // (the answers keep the keys' order, so the version does not depend on which finished first).
        using var shared = SharedReads.Begin();
        var rendered = (await InOrder.SelectAsync(render, AnswerAsync, ct)).OfType<Answer>().ToDictionary(a => a.Item.Key, StringComparer.Ordinal);
        // What was not rendered again stays as it was built (an answer that was not there stays away).
        var kept = new Dictionary<string, SnapshotEntry>(StringComparer.Ordinal);
        foreach (var item in items.Where(i => !Renders(i, plan)))
        {
            if (previous?.Entries.GetValueOrDefault(item.Key) is { } old)
            {
                kept[item.Key] = old;
            }
        }
        var answers = items.Where(i => rendered.ContainsKey(i.Key) || kept.ContainsKey(i.Key)).Select(i => i.Key).ToList();
        var version = VersionOf(answers.Select(key => (key, rendered.TryGetValue(key, out var a) ? a.Body : kept[key].Identity)));
        var entries = new Dictionary<string, SnapshotEntry>(StringComparer.Ordinal);
        foreach (var key in answers)
        {
            entries[key] = !rendered.TryGetValue(key, out var answer) ? kept[key]
                : previous?.Entries.GetValueOrDefault(key) is { } old && old.SameContentAs(answer.Body, answer.ContentType) ? old
                : SnapshotEntry.Create(answer.ContentType, $"\"{version}\"", builtAt, answer.Body);
        }
        Telemetry.PipelineMetrics.SnapshotBuilt(Stopwatch.GetElapsedTime(started), entries.Values.Sum(e => (long)e.Identity.Length));
        return new PublicSnapshot(version, builtAt, entries);
    }

    /// <summary>A service's own answers when it changed; the overview and the page when any did.</summary>
    private static bool Renders(SnapshotItem item, ServiceChanges plan) =>
        item.RouteValues.TryGetValue("service", out var service) ? plan.Touches(service) : plan.Any;

    private static bool SameMinute(DateTimeOffset a, DateTimeOffset b) =>
        a.UtcTicks / TimeSpan.TicksPerMinute == b.UtcTicks / TimeSpan.TicksPerMinute;

    /// <summary>The version names the content: two instances that build the same answers agree on it.</summary>
    internal static string VersionOf(IEnumerable<(string Key, byte[] Body)> answers)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (key, body) in answers)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(key));
            hash.AppendData(body);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..20];
    }

    /// <summary>Runs the route's handler against an in-memory request; null unless it answered 200.</summary>
    private async Task<Answer?> AnswerAsync(SnapshotItem item, CancellationToken ct)
    {
        var http = new DefaultHttpContext { RequestServices = services, RequestAborted = ct };
        http.Request.Method = HttpMethods.Get;
        http.Request.Path = item.Path;
        http.Request.QueryString = new QueryString(item.Query);
        foreach (var (name, value) in item.RouteValues)
        {
            http.Request.RouteValues[name] = value;
        }
        using var body = new MemoryStream();
        http.Response.Body = body;
        await Handler(item.Route)(http);
        return http.Response.StatusCode == StatusCodes.Status200OK ? new Answer(item, body.ToArray(), http.Response.ContentType ?? "application/octet-stream") : null;
    }

    private sealed record Answer(SnapshotItem Item, byte[] Body, string ContentType);

    private RequestDelegate Handler(string route) =>
        handlers.GetOrAdd(route, name => RouteEndpointFactory.CreateUnfiltered(RouteTable.Get(name), services));
}
