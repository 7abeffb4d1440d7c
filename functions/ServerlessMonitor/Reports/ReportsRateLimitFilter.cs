using Microsoft.Extensions.Options;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Reports;

/// <summary>
/// At most <see cref="ReportsOptions.PermitLimit"/> report POSTs per client address and
/// <see cref="ReportsOptions.Window"/>; more is 429 problem details with Retry-After.
/// </summary>
internal sealed class ReportsRateLimitFilter(ClientIdentity clients, IOptions<ReportsOptions> options) : IEndpointFilter, IDisposable
{
    private readonly AddressRateLimiter limiter = new(() => (options.Value.PermitLimit, options.Value.Window));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (limiter.TryAcquire(clients.AddressOf(context.HttpContext)) is { } wait)
        {
            return AddressRateLimiter.TooManyRequests(context.HttpContext, wait, "Too many reports",
                seconds => $"At most {options.Value.PermitLimit} reports per {options.Value.Window} from one address. Try again in {seconds} s.");
        }
        return await next(context);
    }

    public void Dispose() => limiter.Dispose();
}
