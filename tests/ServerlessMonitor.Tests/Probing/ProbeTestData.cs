using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Probing;

internal static class ProbeTestData
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static HttpProber HttpProber(int maxBodyBytes = 1024 * 1024, int keepBodyBytes = 1024, ProbeHttpDiagnostics? diagnostics = null) =>
        new(Options.Create(new ProbingOptions { MaxBodyBytes = maxBodyBytes, KeepBodyBytes = keepBodyBytes }), new ManualClock(),
            diagnostics ?? ProbeHttpDiagnostics.None);

    /// <summary>An http endpoint whose condition reads the body, so the prober reads it (up to the cap).</summary>
    public static EndpointDefinition Http(Uri url) =>
        new() { Id = "web", Kind = EndpointKind.Http, Url = url, Timeout = Timeout, Conditions = [Parse("has([BODY]) == true")] };

    /// <summary>An http endpoint with the given conditions only.</summary>
    public static EndpointDefinition Http(Uri url, params string[] conditions) =>
        new() { Id = "web", Kind = EndpointKind.Http, Url = url, Timeout = Timeout, Conditions = conditions.Select(Parse).ToList() };

    public static Condition Parse(string text) =>
        Condition.TryParse(text, out var condition, out var error) ? condition : throw new ArgumentException(error, nameof(text));

    public static EndpointDefinition Tcp(string host, int port) =>
        new() { Id = "tcp", Kind = EndpointKind.Tcp, Host = host, Port = port, Timeout = Timeout };

    public static EndpointDefinition Dns(string host) =>
        new() { Id = "dns", Kind = EndpointKind.Dns, Host = host, Timeout = Timeout };

    public static EndpointDefinition Tls(string host, int port) =>
        new() { Id = "tls", Kind = EndpointKind.Tls, Host = host, Port = port, Timeout = Timeout };

    /// <summary>X.509 dates carry whole seconds; allow for that and nothing more.</summary>
    public static void AssertSameInstant(DateTimeOffset expected, DateTimeOffset? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange((actual.Value - expected).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }
}
