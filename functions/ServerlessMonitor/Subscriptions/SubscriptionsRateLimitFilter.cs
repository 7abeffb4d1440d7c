using Microsoft.Extensions.Options;
using ServerlessMonitor.Api;
using ServerlessMonitor.Reports;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// At most <see cref="SubscriptionsOptions.PermitLimit"/> subscribe/unsubscribe POSTs per client address and
/// <see cref="SubscriptionsOptions.Window"/>, like the report form's limit; more is 429 problem details with Retry-After.
/// </summary>
internal sealed class SubscriptionsRateLimitFilter(ClientIdentity clients, IOptions<SubscriptionsOptions> options) : AddressRateLimitFilter
{
    protected override int Permits => options.Value.PermitLimit;

    protected override TimeSpan Window => options.Value.Window;

    protected override string Title => "Too many subscription requests";

    protected override string AddressOf(HttpContext http) => clients.AddressOf(http);

    protected override string Detail(int retryAfterSeconds) =>
        $"At most {Permits} subscription requests per {Window} from one address. Try again in {retryAfterSeconds} s.";
}
