using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Web;

/// <summary>
/// Builds the public read model once: runs each snapshot route's own handler (the same code that answers
/// a cold request, without the filters) into memory and keeps what it answered. An answer whose bytes did
/// not change keeps its previous entry — same ETag, no recompression — so a badge's ETag only moves when
/// the badge does.
/// </summary>
internal sealed class SnapshotBuilder(IServiceProvider services, CatalogProvider catalog, IOptions<WebOptions> web, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, RequestDelegate> handlers = new();

    public async Task<PublicSnapshot> BuildAsync(PublicSnapshot? previous, CancellationToken ct)
    {
        var builtAt = time.GetUtcNow();
        // The handlers read the same board and rollup rows: each is read once per build. They run side by side
        // (the answers keep the keys' order, so the version does not depend on which finished first).
        using var shared = SharedReads.Begin();
        var answers = (await InOrder.SelectAsync(SnapshotKeys.For(catalog.Current, web.Value).ToList(), AnswerAsync, ct)).OfType<Answer>().ToList();
        var version = VersionOf(answers.Select(a => (a.Item.Key, a.Body)));
        var entries = new Dictionary<string, SnapshotEntry>(StringComparer.Ordinal);
        foreach (var (item, body, contentType) in answers)
        {
            entries[item.Key] = previous?.Entries.GetValueOrDefault(item.Key) is { } old && old.SameContentAs(body, contentType)
                ? old
                : SnapshotEntry.Create(contentType, $"\"{version}\"", builtAt, body);
        }
        return new PublicSnapshot(version, builtAt, entries);
    }

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
