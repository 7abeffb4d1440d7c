using Microsoft.Extensions.Options;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Reports;

/// <summary>
/// At most <see cref="ReportsOptions.PermitLimit"/> report POSTs per client address and
/// <see cref="ReportsOptions.Window"/>; more is 429 problem details with Retry-After.
/// </summary>
internal sealed class ReportsRateLimitFilter(ClientIdentity clients, IOptions<ReportsOptions> options) : AddressRateLimitFilter
{
    protected override int Permits => options.Value.PermitLimit;

    protected override TimeSpan Window => options.Value.Window;

    protected override string Title => "Too many reports";

    protected override string AddressOf(HttpContext http) => clients.AddressOf(http);

    protected override string Detail(int retryAfterSeconds) =>
        $"At most {Permits} reports per {Window} from one address. Try again in {retryAfterSeconds} s.";
}
