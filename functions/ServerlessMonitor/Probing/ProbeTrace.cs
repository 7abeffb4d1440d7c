using System.Net.Http;

namespace ServerlessMonitor.Probing;

/// <summary>What is known about the connection a response arrived on.</summary>
internal sealed record ConnectionFacts(string? Ip, TimeSpan? Dns, TimeSpan? Connect, TimeSpan? Tls, DateTimeOffset? CertificateExpiry)
{
    public static readonly ConnectionFacts None = new(null, null, null, null, null);
}

/// <summary>
/// Carried in <see cref="HttpRequestMessage.Options"/> so the shared handler's connection callbacks
/// can report, for the request that made a new connection, how long DNS, connect and TLS took.
/// Written by the handler's connection task, read by the prober: hence the lock.
/// </summary>
internal sealed class ProbeTrace
{
    private static readonly HttpRequestOptionsKey<ProbeTrace> Key = new("ServerlessMonitor.ProbeTrace");

    private readonly Lock gate = new();
    private ConnectionFacts facts = ConnectionFacts.None;
    private long connectedAt;

    public static ProbeTrace AttachTo(HttpRequestMessage request)
    {
        var trace = new ProbeTrace();
        request.Options.Set(Key, trace);
        return trace;
    }

    public static ProbeTrace? Of(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Key, out var trace) ? trace : null;

    public ConnectionFacts Facts
    {
        get
        {
            lock (gate)
            {
                return facts;
            }
        }
    }

    public long ConnectedAt
    {
        get
        {
            lock (gate)
            {
                return connectedAt;
            }
        }
    }

    /// <summary>A new connection was made for this request (each redirect hop has a trace of its own).</summary>
    public void Connected(ConnectedSocket connection, long timestamp)
    {
        lock (gate)
        {
            facts = new ConnectionFacts(connection.Address.ToString(), connection.Dns, connection.Connect, null, null);
            connectedAt = timestamp;
        }
    }

    public void Secured(TimeSpan handshake, DateTimeOffset? expiry)
    {
        lock (gate)
        {
            facts = facts with { Tls = handshake, CertificateExpiry = expiry };
        }
    }
}
