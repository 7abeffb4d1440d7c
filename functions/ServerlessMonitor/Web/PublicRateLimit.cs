using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Reports;

namespace ServerlessMonitor.Web;

/// <summary>The "Web" configuration section.</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Requests per minute one client address may make to the public API and the status page.</summary>
    [Range(1, 100_000)]
    public int RequestsPerMinute { get; set; } = 300;
}

/// <summary>
/// A per-address limit on everything public (status page and /api), on top of the stricter limit on
/// report submissions. The timer-function calls of the Functions host, health checks and the admin
/// API (which needs a key) are exempt.
/// </summary>
internal static class PublicRateLimit
{
    public static void Configure(RateLimiterOptions o)
    {
        o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var path = context.Request.Path;
            if (!(path == "/" || path.StartsWithSegments("/api")) || path.StartsWithSegments("/api/admin") || path.StartsWithSegments("/api/health"))
            {
                return RateLimitPartition.GetNoLimiter("exempt");
            }
            var limit = context.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.RequestsPerMinute;
            var address = context.RequestServices.GetRequiredService<ClientIdentity>().AddressOf(context);
            return RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        });
        o.OnRejected = async (context, _) =>
        {
            var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
            var seconds = (int)Math.Max(1, Math.Ceiling(wait.TotalSeconds));
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                detail: $"Too many requests from one address. Try again in {seconds} s.").ExecuteAsync(context.HttpContext);
        };
    }
}
