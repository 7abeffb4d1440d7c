using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace OutageLab;

/// <summary>
/// A loopback server whose endpoints fail on demand: healthy, slow, flapping, erroring, throttled,
/// oversized, redirecting, switchable, HTTPS with a soon-expiring self-signed certificate, plus a
/// port where nothing listens. Everything binds to 127.0.0.1 only.
/// </summary>
public sealed class OutageLabServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly StrongBox<int> connections;

    private OutageLabServer(WebApplication app, X509Certificate2 certificate, LabSwitches switches, LabChaos chaos, StrongBox<int> connections)
    {
        this.app = app;
        this.connections = connections;
        Certificate = certificate;
        Switches = switches;
        Chaos = chaos;
    }

    public Uri HttpBase { get; private set; } = null!;
    public Uri HttpsBase { get; private set; } = null!;
    public int HttpPort => HttpBase.Port;
    public int HttpsPort => HttpsBase.Port;
    public int RefusedPort { get; private set; }

    /// <summary>The HTTPS certificate (self-signed, so untrusted by every client).</summary>
    public X509Certificate2 Certificate { get; }

    public DateTimeOffset CertificateNotAfter => new(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>Statuses of the /switch/{name} endpoints; flip them in-process or via POST /control/switch/{name}.</summary>
    public LabSwitches Switches { get; }

    /// <summary>The seeded random failures of the /chaos/{name} endpoints.</summary>
    public LabChaos Chaos { get; }

    /// <summary>TCP connections accepted on both listeners so far: shows whether clients reuse connections.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref connections.Value);

    public Uri Http(string pathAndQuery) => new(HttpBase, pathAndQuery);

    public Uri Https(string pathAndQuery) => new(HttpsBase, pathAndQuery);

    public static Task<OutageLabServer> StartAsync(int port = 0, int httpsPort = 0, CancellationToken cancellationToken = default) =>
        StartAsync(new OutageLabOptions { HttpPort = port, HttpsPort = httpsPort }, cancellationToken);

    /// <summary>A lab on free ports whose dates come from <paramref name="clock"/> (the app under test's clock).</summary>
    public static Task<OutageLabServer> StartAsync(TimeProvider clock, CancellationToken cancellationToken = default) =>
        StartAsync(new OutageLabOptions { Clock = clock }, cancellationToken);

    public static async Task<OutageLabServer> StartAsync(OutageLabOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var certificate = LabCertificate.Create(options.CertificateLifetime, options.Clock.GetUtcNow());
        var switches = new LabSwitches();
        var connections = new StrongBox<int>();

        // The empty builder reads no configuration, environment or logging set-up of the host
        // process, so a lab inside a test run behaves the same as one started by hand.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRoutingCore();
        options.ConfigureServices?.Invoke(builder.Services);
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.HttpPort, listen => listen.Use(next => Count(next, connections)));
            kestrel.Listen(IPAddress.Loopback, options.HttpsPort, listen =>
            {
                listen.Use(next => Count(next, connections));
                listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        var lab = new OutageLabServer(app, certificate, switches, options.Chaos, connections);
        if (options.Log is { } log)
        {
            app.Use(async (context, next) =>
            {
                await next(context);
                log($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} -> {context.Response.StatusCode}");
            });
        }
        LabScenarios.Map(app, switches, options.Chaos, options.Clock);

        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        lab.HttpBase = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal)) + "/");
        lab.HttpsBase = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)) + "/");
        lab.RefusedPort = options.RefusedPort != 0 ? options.RefusedPort : FreePort();
        return lab;
    }

    /// <summary>True when nothing accepts connections on the port (what RefusedPort promises).</summary>
    public static bool IsClosed(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Certificate.Dispose();
    }

    private static ConnectionDelegate Count(ConnectionDelegate next, StrongBox<int> connections) => context =>
    {
        Interlocked.Increment(ref connections.Value);
        return next(context);
    };

    // Bind, read the port the system chose, close: until someone else takes it, connecting is refused.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
