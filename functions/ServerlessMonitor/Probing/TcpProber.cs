using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Probing;

/// <summary>Probes tcp endpoints: can a connection to host:port be opened in time?</summary>
internal sealed class TcpProber(TimeProvider time) : IProber
{
    public EndpointKind Kind => EndpointKind.Tcp;

    public async Task<ProbeResponse> ProbeAsync(EndpointDefinition endpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Host ?? throw new ArgumentException($"Endpoint '{endpoint.Id}' has no host.", nameof(endpoint));
        var port = endpoint.Port ?? throw new ArgumentException($"Endpoint '{endpoint.Id}' has no port.", nameof(endpoint));

        using var scope = new ProbeScope(time, endpoint.Timeout, ct);
        try
        {
            var connection = await SocketConnector.ConnectAsync(host, port, time, scope.Token).ConfigureAwait(false);
            using (connection.Socket)
            {
                return new ProbeResponse
                {
                    Connected = true,
                    Ip = connection.Address.ToString(),
                    Timings = new ProbeTimings(connection.Dns, connection.Connect, null, null, scope.Elapsed),
                };
            }
        }
        catch (Exception ex)
        {
            var (kind, message) = scope.Explain(ex, $"{host}:{port}");
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
