using System.Net.Security;
using System.Net.Sockets;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Probing;

/// <summary>
/// Probes tls endpoints: handshake with SNI = host and read the certificate. The handshake accepts
/// any certificate so that its expiry is always reported; trust is judged afterwards.
/// </summary>
internal sealed class TlsProber(TimeProvider time) : IProber
{
    private const int DefaultPort = 443;
    private static readonly CertificateObservation NoCertificate = new(null, SslPolicyErrors.RemoteCertificateNotAvailable, "");

    public EndpointKind Kind => EndpointKind.Tls;

    public async Task<ProbeResponse> ProbeAsync(EndpointDefinition endpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Host ?? throw new ArgumentException($"Endpoint '{endpoint.Id}' has no host.", nameof(endpoint));
        var port = endpoint.Port ?? DefaultPort;
        var target = $"{host}:{port}";

        using var scope = new ProbeScope(time, endpoint.Timeout, ct);
        ConnectedSocket? connection = null;
        CertificateObservation? certificate = null;
        try
        {
            connection = await SocketConnector.ConnectAsync(host, port, time, scope.Token).ConfigureAwait(false);
            var handshakeStarted = time.GetTimestamp();
            var ssl = new SslStream(new NetworkStream(connection.Socket, ownsSocket: true), leaveInnerStreamOpen: false);
            await using (ssl.ConfigureAwait(false))
            {
                var options = new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    RemoteCertificateValidationCallback = (_, cert, chain, errors) =>
                    {
                        certificate = CertificateObservation.From(cert, chain, errors);
                        return true;
                    },
                };
                await ssl.AuthenticateAsClientAsync(options, scope.Token).ConfigureAwait(false);
                var response = new ProbeResponse
                {
                    Connected = true,
                    Ip = connection.Address.ToString(),
                    CertificateExpiry = certificate?.Expiry,
                    Timings = new ProbeTimings(connection.Dns, connection.Connect, time.GetElapsedTime(handshakeStarted), null, scope.Elapsed),
                };
                return endpoint.InsecureTls || certificate is { Trusted: true }
                    ? response
                    : response with { Error = $"TLS with {target} failed: {(certificate ?? NoCertificate).Problem(host)}", ErrorKind = ErrorKind.Tls };
            }
        }
        catch (Exception ex)
        {
            var (kind, message) = scope.Explain(ex, target);
            return new ProbeResponse
            {
                Connected = false,
                Ip = connection?.Address.ToString(),
                CertificateExpiry = certificate?.Expiry,
                Timings = new ProbeTimings(connection?.Dns, connection?.Connect, null, null, scope.Elapsed),
                Error = message,
                // Connected but no handshake: whatever broke, it broke in TLS.
                ErrorKind = connection is not null && kind == ErrorKind.Network ? ErrorKind.Tls : kind,
            };
        }
        finally
        {
            connection?.Socket.Dispose();
        }
    }
}
