using System.Net;
using System.Net.Sockets;

namespace ServerlessMonitor.Probing;

/// <summary>Where an address leads: the public internet, or somewhere a public target must not send the probe.</summary>
internal enum AddressKind
{
    Public,
    Loopback,
    Private,
    LinkLocal,
    /// <summary>Unspecified, multicast, broadcast, shared (CGNAT), documentation and other reserved ranges.</summary>
    Reserved,
}

/// <summary>
/// Classifies addresses for the redirect policy: a probe of a public target may follow redirects only to
/// public addresses, so a probed site cannot make the monitor fetch (and publish) what sits on its own
/// network. IPv4-mapped and NAT64 IPv6 addresses are judged by the IPv4 address they carry.
/// </summary>
internal static class AddressScope
{
    private static readonly (IPAddress Network, int Prefix, AddressKind Kind)[] Ranges =
    [
        (IPAddress.Parse("0.0.0.0"), 8, AddressKind.Reserved),
        (IPAddress.Parse("10.0.0.0"), 8, AddressKind.Private),
        (IPAddress.Parse("100.64.0.0"), 10, AddressKind.Reserved),
        (IPAddress.Parse("127.0.0.0"), 8, AddressKind.Loopback),
        (IPAddress.Parse("169.254.0.0"), 16, AddressKind.LinkLocal),
        // Azure's platform endpoint (wire server: DNS, metadata, health): public-looking, answers only from inside Azure.
        (IPAddress.Parse("168.63.129.16"), 32, AddressKind.Reserved),
        (IPAddress.Parse("172.16.0.0"), 12, AddressKind.Private),
        (IPAddress.Parse("192.0.0.0"), 24, AddressKind.Reserved),
        (IPAddress.Parse("192.0.2.0"), 24, AddressKind.Reserved),
        (IPAddress.Parse("192.168.0.0"), 16, AddressKind.Private),
        (IPAddress.Parse("198.18.0.0"), 15, AddressKind.Reserved),
        (IPAddress.Parse("198.51.100.0"), 24, AddressKind.Reserved),
        (IPAddress.Parse("203.0.113.0"), 24, AddressKind.Reserved),
        (IPAddress.Parse("224.0.0.0"), 4, AddressKind.Reserved),
        (IPAddress.Parse("240.0.0.0"), 4, AddressKind.Reserved),
        (IPAddress.Parse("::"), 128, AddressKind.Reserved),
        (IPAddress.Parse("::1"), 128, AddressKind.Loopback),
        (IPAddress.Parse("fc00::"), 7, AddressKind.Private),
        (IPAddress.Parse("fe80::"), 10, AddressKind.LinkLocal),
        (IPAddress.Parse("fec0::"), 10, AddressKind.Private),
        (IPAddress.Parse("ff00::"), 8, AddressKind.Reserved),
        (IPAddress.Parse("2001:db8::"), 32, AddressKind.Reserved),
    ];

    private static readonly IPAddress Nat64 = IPAddress.Parse("64:ff9b::");

    public static AddressKind Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && InPrefix(address, Nat64, 96))
        {
            address = new IPAddress(address.GetAddressBytes()[12..]);
        }
        foreach (var (network, prefix, kind) in Ranges)
        {
            if (InPrefix(address, network, prefix))
            {
                return kind;
            }
        }
        return AddressKind.Public;
    }

    public static bool IsPublic(IPAddress address) => Classify(address) == AddressKind.Public;

    /// <summary>"loopback", "private", "link-local", "reserved" or "public", for error messages.</summary>
    public static string Describe(AddressKind kind) => kind == AddressKind.LinkLocal ? "link-local" : kind.ToString().ToLowerInvariant();

    private static bool InPrefix(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var whole = prefix / 8;
        if (!a.AsSpan(0, whole).SequenceEqual(n.AsSpan(0, whole)))
        {
            return false;
        }
        var rest = prefix % 8;
        return rest == 0 || (a[whole] >> (8 - rest)) == (n[whole] >> (8 - rest));
    }
}
