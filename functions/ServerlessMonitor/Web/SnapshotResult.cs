using Microsoft.Extensions.Primitives;
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
        Pages.PageSecurity.DenyFraming(response);
        response.ContentLength = body.Length;
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }

    private (byte[] Body, string? Encoding) Choose(StringValues acceptEncoding)
    {
        if (Accepts(acceptEncoding, "br") && entry.BrotliBytes() is { } br)
        {
            return (br, "br");
        }
        if (Accepts(acceptEncoding, "gzip") && entry.GzipBytes() is { } gzip)
        {
            return (gzip, "gzip");
        }
        return (entry.Identity, null);
    }

    /// <summary>True when the coding is listed without q=0 (a "*" is not taken as a promise to decode Brotli).</summary>
    internal static bool Accepts(StringValues header, string coding) =>
        StringWithQualityHeaderValue.TryParseList(header, out var codings)
        && codings.Any(c => c.Value.Equals(coding, StringComparison.OrdinalIgnoreCase) && (c.Quality ?? 1) > 0);

    /// <summary>Weak comparison, as If-None-Match asks for: W/"v" matches "v"; "*" matches anything.</summary>
    internal static bool Matches(StringValues ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }
        var ours = EntityTagHeaderValue.Parse(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(ours, useStrongComparison: false));
    }
}
