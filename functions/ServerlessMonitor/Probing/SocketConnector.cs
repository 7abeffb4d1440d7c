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
    public static async Task<ConnectedSocket> ConnectAsync(string host, int port, TimeProvider time, CancellationToken ct)
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
