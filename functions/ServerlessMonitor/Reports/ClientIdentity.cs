using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Reports;

/// <summary>
/// Who is reporting, without knowing who: the client address (for the rate limit) and an anonymous
/// fingerprint, HMAC-SHA256(salt, service | window | address | User-Agent), for de-duplication. The
/// window is part of the input, so fingerprints of one client in different windows cannot be linked,
/// and neither the address nor the User-Agent is stored anywhere.
/// </summary>
internal sealed class ClientIdentity(ITableStore store, MonitorTables tables, IOptions<ReportsOptions> options, IOptions<ProxyOptions> proxies)
{
    private readonly IReadOnlyList<IPNetwork> _trusted = proxies.Value.Networks;

    public const string Unknown = "unknown";

    private byte[]? _salt;

    /// <summary>
    /// The client address as a rate-limit partition: the TCP peer, unless the peer is a trusted proxy — one of
    /// Web:TrustedProxies, or, when <see cref="ReportsOptions.TrustForwardedFor"/> is on (on Azure Functions), loopback: the
    /// Functions host forwarding what the platform's front end received. Then X-Forwarded-For is read from the right,
    /// past entries that are trusted proxies themselves, and the first other entry is the client; entries further left
    /// are whatever the client claimed and are ignored.
    /// IPv6 clients are grouped by /64, the block one subscriber usually holds. No address (in-memory test
    /// server, Unix socket) is "unknown".
    /// </summary>
    public string AddressOf(HttpContext context) => Peer(context) is { } peer ? Normalize(peer) : Unknown;

    /// <summary>
    /// The client's network for the surge rule: IPv4 /24, IPv6 /48 — the block a site or an ISP's customers
    /// nearby share. A surge needs several of them, so one machine cannot fake a crowd.
    /// </summary>
    public string NetworkOf(HttpContext context) => Peer(context) is { } peer ? Network(peer) : Unknown;

    /// <summary>
    /// The client's fingerprints for the 15-minute window of <paramref name="now"/> and the window before it, and
    /// its network's tag for the day (so the buckets of one surge window can tell networks apart without knowing them).
    /// </summary>
    public async Task<ClientFingerprints> FingerprintsAsync(HttpContext context, string service, DateTimeOffset now, CancellationToken ct)
    {
        var salt = await SaltAsync(ct);
        var window = ReportRows.Floor(now, ReportRows.Window);
        var client = $"{AddressOf(context)}\n{context.Request.Headers.UserAgent}";
        string Hmac(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(text)));
        // 128 bits: collision-free in practice, short enough for a row key.
        string Hash(DateTimeOffset w) => Hmac($"{service}\n{w:O}\n{client}")[..32];
        // 48 bits are plenty to tell a few dozen networks apart, and the tag changes daily.
        var network = Hmac($"{service}\n{ReportRows.Floor(now, TimeSpan.FromDays(1)):O}\nnetwork\n{NetworkOf(context)}")[..12];
        return new ClientFingerprints(Hash(window), Hash(window - ReportRows.Window), network);
    }

    // The TCP peer, or the address the nearest untrusted hop had as seen by the trusted proxies (see AddressOf).
    private IPAddress? Peer(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is null || !IsTrustedProxy(peer))
        {
            return peer;
        }
        var hops = context.Request.Headers["X-Forwarded-For"].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (ForwardedFor(hops[i]) is not { } hop)
            {
                break; // garbage: nothing left of it can be believed
            }
            peer = hop;
            if (!proxies.Value.Trusts(hop, _trusted))
            {
                break;
            }
        }
        return peer;
    }

    private bool IsTrustedProxy(IPAddress peer) =>
        (options.Value.TrustForwardedFor == true && IPAddress.IsLoopback(peer)) || proxies.Value.Trusts(peer, _trusted);

    internal static IPAddress? ForwardedFor(string? header)
    {
        var last = header?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        // App Service front ends write "address:port"; plain addresses and bracketed IPv6 occur too.
        return last is null ? null
            : IPAddress.TryParse(last, out var address) ? address
            : IPEndPoint.TryParse(last, out var endpoint) ? endpoint.Address
            : null;
    }

    internal static string Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    internal static string Network(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var bytes = address.GetAddressBytes();
        var ipv4 = address.AddressFamily == AddressFamily.InterNetwork;
        Array.Clear(bytes, ipv4 ? 3 : 6, ipv4 ? 1 : 10);
        return new IPAddress(bytes) + (ipv4 ? "/24" : "/48");
    }

    /// <summary>The configured salt, or the install's random one (created once, shared through the table by every instance).</summary>
    private async ValueTask<byte[]> SaltAsync(CancellationToken ct)
    {
        if (_salt is { } cached)
        {
            return cached;
        }
        if (options.Value.ClientSalt is { Length: > 0 } configured)
        {
            return _salt = Encoding.UTF8.GetBytes(configured);
        }
        var row = await store.GetAsync(tables.Reports, ReportRows.InstallPartition, ReportRows.SaltKey, ct);
        if (row?.Get<byte[]>("Salt") is not { Length: > 0 } salt)
        {
            salt = RandomNumberGenerator.GetBytes(32);
            try
            {
                await store.ExecuteAsync(tables.Reports, TableOperation.Insert(new TableEntity(ReportRows.InstallPartition, ReportRows.SaltKey,
                    new Dictionary<string, object?> { ["Salt"] = salt })), ct);
            }
            catch (TableStoreException e) when (e.Kind == TableErrorKind.Conflict)
            {
                // Another instance created it first: use theirs, so fingerprints agree across instances.
                row = await store.GetAsync(tables.Reports, ReportRows.InstallPartition, ReportRows.SaltKey, ct);
                salt = row?.Get<byte[]>("Salt") ?? throw new InvalidOperationException("The install's report salt vanished after a conflict");
            }
        }
        return _salt = salt;
    }
}

/// <summary>One client's anonymous fingerprints in the current and the previous 15-minute window, and its network's tag today.</summary>
internal sealed record ClientFingerprints(string Current, string Previous, string Network);
