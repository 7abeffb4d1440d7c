using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ServerlessMonitor.Api;

/// <summary>
/// A fixed window of permits per client address, no queueing. Used from endpoint filters rather than
/// ASP.NET's rate-limiting middleware, so the Functions worker (which runs no ASP.NET middleware) limits
/// exactly like the standalone host.
/// </summary>
internal sealed class AddressRateLimiter(Func<(int Permits, TimeSpan Window)> limits) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ =>
        {
            var (permits, window) = limits();
            return new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };
        }));

    /// <summary>Null when the request may go on; otherwise how long the address has to wait.</summary>
    public TimeSpan? TryAcquire(string address)
    {
        using var lease = limiter.AttemptAcquire(address);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits().Window;
    }

    /// <summary>429 problem details with Retry-After in whole seconds (at least 1).</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext http, TimeSpan wait, string title, Func<int, string> detail)
    {
        var seconds = (int)Math.Max(1, Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: title, detail: detail(seconds),
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }

    public void Dispose() => limiter.Dispose();
}
