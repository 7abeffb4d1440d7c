using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ServerlessMonitor.Probing;

/// <summary>
/// One shared <see cref="SocketsHttpHandler"/> (and so one connection pool) for one combination of
/// TLS-trust and address settings. It connects by hand to time DNS and connect, and reads the server
/// certificate after the handshake; untrusted certificates are accepted by the handshake and then
/// refused before any request byte is sent, so that their expiry is still reported. A public-only pool
/// connects to public addresses only (checked on the resolved address, so DNS cannot sneak past it),
/// and being a pool of its own it never reuses a connection another probe made to an internal host.
/// Redirects are never followed here: <see cref="HttpProber"/> follows them under <see cref="RedirectPolicy"/>.
/// </summary>
internal sealed class PooledHttpHandler : IDisposable
{
    // Facts of the last connection made per authority: a request served by a pooled connection made
    // no new one, but its [IP] and [CERTIFICATE_EXPIRATION] are still those of that connection.
    private readonly ConcurrentDictionary<string, ConnectionFacts> lastConnection = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConditionalWeakTable<SslStream, CertificateObservation> certificates = [];
    private readonly TimeProvider time;
    private readonly bool insecureTls;
    private readonly bool publicOnly;
    private readonly SocketsHttpHandler handler;
    private readonly UnlistenedMeters meters = new();

    public PooledHttpHandler(ProbingOptions options, TimeProvider time, bool insecureTls, bool publicOnly, ProbeHttpDiagnostics diagnostics)
    {
        this.time = time;
        this.insecureTls = insecureTls;
        this.publicOnly = publicOnly;
        handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            // Probes must not carry state from one run to the next, nor go through a proxy that
            // would hide the target's own DNS, connect and TLS behaviour.
            UseCookies = false,
            UseProxy = false,
            ConnectCallback = ConnectAsync,
            PlaintextStreamFilter = CheckConnection,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Observe },
        };
        diagnostics.Apply(handler, meters);
        Invoker = new HttpMessageInvoker(handler, disposeHandler: false);
    }

    /// <summary>Sends without buffering: the response returns once headers arrive.</summary>
    public HttpMessageInvoker Invoker { get; }

    public ConnectionFacts LastConnection(Uri uri) =>
        lastConnection.TryGetValue(Authority(uri), out var facts) ? facts : ConnectionFacts.None;

    public void Dispose()
    {
        Invoker.Dispose();
        handler.Dispose();
        meters.Dispose();
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var connection = await SocketConnector.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, time, ct,
            publicOnly ? AddressScope.IsPublic : null).ConfigureAwait(false);
        ProbeTrace.Of(context.InitialRequestMessage)?.Connected(connection, time.GetTimestamp());
        return new NetworkStream(connection.Socket, ownsSocket: true);
    }

    private bool Observe(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (sender is SslStream stream)
        {
            certificates.AddOrUpdate(stream, CertificateObservation.From(certificate, chain, errors));
        }
        // Trust is decided in CheckConnection, where the probe that made the connection is known.
        return true;
    }

    // Runs once per new connection, after TLS and before the first request is written.
    private ValueTask<Stream> CheckConnection(SocketsHttpPlaintextStreamFilterContext context, CancellationToken ct)
    {
        var request = context.InitialRequestMessage;
        var trace = ProbeTrace.Of(request);
        CertificateObservation? certificate = null;
        if (context.PlaintextStream is SslStream ssl)
        {
            certificates.TryGetValue(ssl, out certificate);
            trace?.Secured(time.GetElapsedTime(trace.ConnectedAt), certificate?.Expiry);
        }
        if (trace is not null && request.RequestUri is { } uri)
        {
            lastConnection[Authority(uri)] = trace.Facts;
        }
        if (!insecureTls && certificate is { Trusted: false })
        {
            throw new AuthenticationException(certificate.Problem(request.RequestUri?.IdnHost ?? "the host"));
        }
        return ValueTask.FromResult(context.PlaintextStream);
    }

    private static string Authority(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
}
