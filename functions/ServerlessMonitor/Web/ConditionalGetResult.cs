using System.Security.Cryptography;

namespace ServerlessMonitor.Web;

/// <summary>
/// Before the first snapshot exists (the seconds after start-up) a public read is computed per request;
/// it still gets a strong ETag (hash of the body), Cache-Control and 304 on a matching If-None-Match.
/// </summary>
internal sealed class ConditionalGetResult(IResult inner, string cacheControl) : IResult
{
    private const int MaxBufferedBytes = 4 * 1024 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var body = await BufferAsync(inner, httpContext);
        Pages.PageSecurity.DenyFraming(response);
        if (response.StatusCode == StatusCodes.Status200OK && body.Length <= MaxBufferedBytes)
        {
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"";
            response.Headers.ETag = etag;
            response.Headers.CacheControl = cacheControl;
            if (SnapshotResult.Matches(httpContext.Request.Headers.IfNoneMatch, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = null;
                return;
            }
        }
        await WriteAsync(response, body, httpContext.RequestAborted);
    }

    /// <summary>Runs a result into memory: status and headers land on the response, the body is returned.</summary>
    internal static async Task<byte[]> BufferAsync(IResult result, HttpContext httpContext)
    {
        var response = httpContext.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await result.ExecuteAsync(httpContext);
        }
        finally
        {
            response.Body = original;
        }
        return buffer.ToArray();
    }

    internal static Task WriteAsync(HttpResponse response, byte[] body, CancellationToken ct)
    {
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, ct).AsTask();
    }
}
