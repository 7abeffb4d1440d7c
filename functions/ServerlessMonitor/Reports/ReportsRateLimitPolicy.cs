using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ServerlessMonitor.Reports;

/// <summary>
/// A fixed window of <see cref="ReportsOptions.PermitLimit"/> report POSTs per client address and
/// <see cref="ReportsOptions.Window"/>, no queueing. Rejections are 429 problem details with Retry-After,
/// set by this policy rather than the global limiter options, so other features keep their own answers.
/// </summary>
internal sealed class ReportsRateLimitPolicy(ClientIdentity clients, IOptions<ReportsOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "reports";

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(clients.AddressOf(httpContext), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.PermitLimit,
            Window = options.Value.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, _) =>
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Value.Window;
        var seconds = (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many reports",
                detail: $"At most {options.Value.PermitLimit} reports per {options.Value.Window} from one address. Try again in {seconds} s.",
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds })
            .ExecuteAsync(context.HttpContext);
    };
}
