namespace ServerlessMonitor.Web;

/// <summary>
/// Public reads come from memory: the snapshot's ready-to-send answers (overview, services, page, badges),
/// or the other reads' answers cached for the snapshot's version. Only before the first snapshot does a
/// request run its handler alone. Done around the handler's result rather than in middleware, so both
/// hosts behave the same.
/// </summary>
internal sealed class CachedReadFilter(ReadSnapshots snapshots, VersionedCache cache, CacheHeaders headers) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var route = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "";
        snapshots.RefreshIfDue();
        if (snapshots.Current is not { } snapshot)
        {
            return await next(context) is IResult cold ? new ConditionalGetResult(cold, headers.CacheControl) : null;
        }
        if (SnapshotKeys.Of(route, http.Request) is { } key && snapshot.Entries.TryGetValue(key, out var entry))
        {
            return new SnapshotResult(entry, headers.CacheControl);
        }
        var url = $"{route} {http.Request.Path}?{QueryKey.Of(http)}";
        if (cache.Join(snapshot.Version, url, out var computation) is { } pending && await pending is { } cached)
        {
            return new SnapshotResult(cached, headers.CacheControl);
        }
        var result = await next(context);
        if (result is not IResult answer)
        {
            return result;
        }
        return computation is null
            ? new ConditionalGetResult(answer, headers.CacheControl)
            : new CachingResult(answer, snapshot, url, computation, cache, headers.CacheControl);
    }
}

/// <summary>Runs the handler's result once into memory; a 200 becomes the cached answer for this URL and version.</summary>
internal sealed class CachingResult(IResult inner, PublicSnapshot snapshot, string url, TaskCompletionSource<SnapshotEntry?> computation,
    VersionedCache cache, string cacheControl) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        byte[] body;
        try
        {
            body = await ConditionalGetResult.BufferAsync(inner, httpContext);
        }
        catch
        {
            Abandon();
            throw;
        }
        if (httpContext.Response.StatusCode != StatusCodes.Status200OK)
        {
            Abandon();
            await ConditionalGetResult.WriteAsync(httpContext.Response, body, httpContext.RequestAborted);
            return;
        }
        // The version names the snapshot; the URL and body tell apart answers recomputed after a report was counted.
        var etag = $"\"{snapshot.Version[..8]}-{SnapshotBuilder.VersionOf([(url, body)])[..12]}\"";
        var entry = SnapshotEntry.Create(httpContext.Response.ContentType ?? "application/octet-stream", etag, snapshot.BuiltAt, body);
        cache.Complete(computation, entry);
        await new SnapshotResult(entry, cacheControl).ExecuteAsync(httpContext);
    }

    private void Abandon()
    {
        cache.Forget(url, computation);
        computation.TrySetResult(null);
    }
}
