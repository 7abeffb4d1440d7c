using System.Net;
using System.Net.Sockets;

namespace ServerlessMonitor.Probing;

/// <summary>A connected socket and what it took to get it.</summary>
internal sealed record ConnectedSocket(Socket Socket, IPAddress Address, TimeSpan? Dns, TimeSpan Connect);

/// <summary>
/// Resolves and connects by hand (instead of letting the runtime do both) so that probes can time
/// DNS and connect separately and report the address that answered.
/// </summary>
internal static class SocketConnector
{
    /// <param name="allowed">When set, only addresses it accepts are connected to; none left refuses the connection.</param>
    public static async Task<ConnectedSocket> ConnectAsync(string host, int port, TimeProvider time, CancellationToken ct,
        Func<IPAddress, bool>? allowed = null)
    {
        var started = time.GetTimestamp();
        TimeSpan? dns = null;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            // No lookup happened, so there is no DNS time to report.
            addresses = [literal];
        }
        else
        {
            addresses = await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
            dns = time.GetElapsedTime(started);
            if (addresses.Length == 0)
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }
        }

        if (allowed is not null)
        {
            addresses = addresses.Where(allowed).ToArray();
            if (addresses.Length == 0)
            {
                // Neither the address nor its kind is named: the error is public, and the name may be an internal one.
                throw new RedirectRefusedException($"redirect to {host}:{port} refused: not a public address, and a public target may not redirect inside "
                    + "(allowPrivateRedirects on the endpoint permits it for internal monitoring)");
            }
        }
        var connectStarted = time.GetTimestamp();
        SocketException? failure = null;
        // Addresses come in the resolver's preference order (RFC 6724); try each, as browsers do, so
        // that "localhost" reaching only 127.0.0.1 after ::1 refuses still counts as up.
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), ct).ConfigureAwait(false);
                return new ConnectedSocket(socket, address, dns, time.GetElapsedTime(connectStarted));
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                // A refusal is the most telling failure: keep it over "unreachable" from another family.
                if (failure?.SocketErrorCode != SocketError.ConnectionRefused)
                {
                    failure = ex;
                }
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw failure!;
    }
}
