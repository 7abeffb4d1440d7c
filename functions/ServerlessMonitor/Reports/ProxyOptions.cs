using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ServerlessMonitor.Reports;

/// <summary>
/// The reverse proxies whose X-Forwarded-For is believed, bound from the "Web" section (Web:TrustedProxies): addresses
/// or CIDR ranges such as 10.0.0.0/8. A request from anyone else is identified by its TCP peer, whatever it claims.
/// On Azure Functions the platform's front end is trusted without this list (see <see cref="ReportsOptions.TrustForwardedFor"/>).
/// </summary>
internal sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Web";

    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>The parsed ranges; a single address is a /32 (or /128).</summary>
    public IReadOnlyList<IPNetwork> Networks => TrustedProxies.Select(Parse).OfType<IPNetwork>().ToList();

    public bool Trusts(IPAddress address, IReadOnlyList<IPNetwork> networks)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return networks.Any(n => n.Contains(plain));
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        TrustedProxies.Select((entry, i) => (entry, i)).Where(e => Parse(e.entry) is null)
            .Select(e => new ValidationResult($"Web:TrustedProxies:{e.i}: '{e.entry}' is not an IP address or a CIDR range such as 10.0.0.0/8",
                [nameof(TrustedProxies)]));

    private static IPNetwork? Parse(string entry) =>
        IPNetwork.TryParse(entry, out var network) ? network
        : IPAddress.TryParse(entry, out var address) ? new IPNetwork(address, address.GetAddressBytes().Length * 8)
        : null;
}
