using System.Net;

namespace ServerlessMonitor.Tests.Support;

public static class PeerClients
{
    /// <summary>
    /// A client whose requests arrive from <paramref name="address"/> as their TCP peer. The in-memory server
    /// has no peer address at all (every request is one "unknown" client); per-address rules need distinct ones.
    /// </summary>
    public static HttpClient ClientFrom(this MonitorAppFactory app, string address, string? adminKey = null)
    {
        var peer = IPAddress.Parse(address);
        var client = new HttpClient(app.Server.CreateHandler(context => context.Connection.RemoteIpAddress = peer)) { BaseAddress = app.Server.BaseAddress };
        if (adminKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);
        }
        return client;
    }
}
