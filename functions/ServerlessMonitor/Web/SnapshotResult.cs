using Microsoft.Net.Http.Headers;

namespace ServerlessMonitor.Web;

/// <summary>
/// Sends a <see cref="SnapshotEntry"/>: 304 when If-None-Match names its version, otherwise the stored
/// bytes in the best encoding the client accepts (Brotli, gzip, identity), with the headers caches in
/// front need. Nothing is serialized, hashed or compressed here; it works the same in both hosts.
/// </summary>
internal sealed class SnapshotResult(SnapshotEntry entry, string cacheControl) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var headers = response.Headers;
        headers.ETag = entry.ETag;
        headers.LastModified = entry.LastModifiedHeader;
        headers.CacheControl = cacheControl;
        headers.Vary = HeaderNames.AcceptEncoding;
        if (Matches(httpContext.Request.Headers.IfNoneMatch, entry.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        var (body, encoding) = Choose(httpContext.Request.Headers.AcceptEncoding);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = entry.ContentType;
        response.ContentLength = body.Length;
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }

    private (byte[] Body, string? Encoding) Choose(Microsoft.Extensions.Primitives.StringValues acceptEncoding)
    {
        if (entry.Brotli is { } br && Accepts(acceptEncoding, "br"))
        {
            return (br, "br");
        }
        if (entry.Gzip is { } gzip && Accepts(acceptEncoding, "gzip"))
        {
            return (gzip, "gzip");
        }
        return (entry.Identity, null);
    }

    /// <summary>True when the coding is listed without q=0 (a "*" is not taken as a promise to decode Brotli).</summary>
    internal static bool Accepts(Microsoft.Extensions.Primitives.StringValues header, string coding)
    {
        foreach (var value in header)
        {
            foreach (var item in (value ?? "").Split(','))
            {
                var parts = item.Split(';', StringSplitOptions.TrimEntries);
                if (parts[0].Equals(coding, StringComparison.OrdinalIgnoreCase))
                {
                    return !parts.Skip(1).Any(p => p.Replace(" ", "") is "q=0" or "q=0.0" or "q=0.00" or "q=0.000");
                }
            }
        }
        return false;
    }

    /// <summary>Weak comparison, as If-None-Match asks for: W/"v" matches "v".</summary>
    internal static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        foreach (var value in ifNoneMatch)
        {
            foreach (var tag in (value ?? "").Split(',', StringSplitOptions.TrimEntries))
            {
                if (tag == "*" || (tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag) == etag)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
