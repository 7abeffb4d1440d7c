using System.Net;
using System.Net.Sockets;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Probing;

/// <summary>
/// Probes dns endpoints through the system resolver, the one users' apps go through. The resolver
/// reports no response codes, so they are derived from its errors: "name not found" is NXDOMAIN,
/// anything else that fails is SERVFAIL.
/// </summary>
internal sealed class DnsProber(TimeProvider time) : IProber
{
    public EndpointKind Kind => EndpointKind.Dns;

    public async Task<ProbeResponse> ProbeAsync(EndpointDefinition endpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Host ?? throw new ArgumentException($"Endpoint '{endpoint.Id}' has no host.", nameof(endpoint));

        using var scope = new ProbeScope(time, endpoint.Timeout, ct);
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, scope.Token).ConfigureAwait(false);
            return new ProbeResponse
            {
                Connected = true,
                DnsRcode = "NOERROR",
                Ip = addresses.FirstOrDefault()?.ToString(),
                Timings = new ProbeTimings(scope.Elapsed, null, null, null, scope.Elapsed),
            };
        }
        catch (SocketException ex) when (!scope.Token.IsCancellationRequested)
        {
            var nameMissing = ex.SocketErrorCode == SocketError.HostNotFound;
            return new ProbeResponse
            {
                // A "no such name" answer still means the resolver was reached.
                Connected = nameMissing,
                DnsRcode = nameMissing ? "NXDOMAIN" : "SERVFAIL",
                Timings = new ProbeTimings(scope.Elapsed, null, null, null, scope.Elapsed),
                Error = nameMissing ? $"{host} does not exist (NXDOMAIN)" : $"resolving {host} failed ({ex.SocketErrorCode})",
                ErrorKind = ErrorKind.Dns,
            };
        }
        catch (Exception ex)
        {
            var (kind, message) = scope.Explain(ex, host);
            return new ProbeResponse
            {
                Connected = false,
                Timings = new ProbeTimings(null, null, null, null, scope.Elapsed),
                Error = message,
                ErrorKind = kind,
            };
        }
    }
}
