using System.Security.Cryptography;

namespace ServerlessMonitor.Web;

/// <summary>
/// Public reads get a strong ETag (hash of the body) and a short Cache-Control, and a matching
/// If-None-Match is answered 304 without a body — so pollers and CDNs re-download only what changed.
/// Done around the handler's result rather than in middleware, so both hosts behave the same.
/// </summary>
internal sealed class ConditionalGetFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await next(context) is IResult result ? new ConditionalGetResult(result) : null;
}

internal sealed class ConditionalGetResult(IResult inner) : IResult
{
    private const int MaxBufferedBytes = 4 * 1024 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await inner.ExecuteAsync(httpContext);
        }
        finally
        {
            response.Body = original;
        }
        if (response.StatusCode == StatusCodes.Status200OK && buffer.Length <= MaxBufferedBytes)
        {
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))[..32]}\"";
            response.Headers.ETag = etag;
            if (!response.Headers.ContainsKey("Cache-Control"))
            {
                response.Headers.CacheControl = "public, max-age=15";
            }
            if (Matches(httpContext.Request, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = null;
                return;
            }
        }
        response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(original, httpContext.RequestAborted);
    }

    private static bool Matches(HttpRequest request, string etag) =>
        request.Headers.IfNoneMatch.Any(v => v is not null && (v == "*" || v.Split(',').Select(t => t.Trim()).Contains(etag)));
}
