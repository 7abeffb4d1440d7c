using System.Globalization;
using System.Reflection;
using System.Text.Json;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Web.GeneratedClient;

/// <summary>
/// Two standalone hosts on loopback (one with a tight public rate limit), the OpenAPI document the first one serves,
/// the Kiota client generated from it and <c>Calls/ClientCalls.cs</c>, compiled together once for the test class.
/// </summary>
public sealed class GeneratedClientFixture : IAsyncLifetime
{
    public const string Service = "gc-svc";
    public const string Endpoint = "web";
    public const string PushToken = "smp_generatedClientTestToken0123456789abc";
    public const int TightLimit = 3;

    /// <summary>Email subscriptions are on (signing key, an SMTP server that is not there, a loopback page URL) so their routes answer.</summary>
    public const string SigningKey = "generated-client-signing-key-0123456789";

    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();
    private AppProcess? _open;
    private AppProcess? _limited;
    private Type? _calls;

    /// <summary>A webhook receiver the apps trust through SSL_CERT_FILE (as an operator's CA bundle), so the subscribe call can pass its challenge.</summary>
    public Subscriptions.WebhookReceiver Webhook { get; private set; } = null!;

    public Uri BaseUri { get; private set; } = null!;

    public Uri LimitedBaseUri { get; private set; } = null!;

    /// <summary>The served document the client was generated from.</summary>
    public JsonElement Document { get; private set; }

    public async Task InitializeAsync()
    {
        Webhook = await Subscriptions.WebhookReceiver.StartAsync(TimeProvider.System, authority: true);
        (_open, BaseUri) = Start(requestsPerMinute: 100_000);
        (_limited, LimitedBaseUri) = Start(TightLimit);
        await Task.WhenAll(_open.WaitUntilHealthyAsync(BaseUri, Startup), _limited.WaitUntilHealthyAsync(LimitedBaseUri, Startup));
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(BaseUri, "/api/openapi.json"));
        Document = JsonDocument.Parse(text).RootElement.Clone();
        var generated = await KiotaGenerator.GenerateAsync(_dir.Write("openapi.json", text), Path.Combine(_dir.Path, "client"));
        var calls = Path.Combine(AppContext.BaseDirectory, "Web", "GeneratedClient", "Calls", "ClientCalls.cs");
        var assembly = ClientCompiler.Compile("Generated.Monitor.Client." + Guid.NewGuid().ToString("N"), [.. generated, calls]);
        _calls = assembly.GetType("Generated.Monitor.Calls.ClientCalls", throwOnError: true)!;
    }

    /// <summary>Runs a method of ClientCalls (compiled against the generated client).</summary>
    public async Task<T> CallAsync<T>(string method, params object[] arguments)
    {
        try
        {
            return await (Task<T>)_calls!.GetMethod(method)!.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw inner;
        }
    }

    private (AppProcess, Uri) Start(int requestsPerMinute)
    {
        var port = AppProcess.FreePort();
        var name = requestsPerMinute.ToString(CultureInfo.InvariantCulture);
        var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["Monitor__Catalog"] = _dir.Write($"monitors-{name}.json", Catalog()),
            ["Monitor__ConfirmationDelay"] = "00:00:00",
            ["Storage__SqlitePath"] = _dir.File($"m-{name}.db"),
            ["Web__RequestsPerMinute"] = name,
            ["GeneratedClient__PushToken"] = PushToken,
            ["Subscriptions__SigningKey"] = SigningKey,
            ["Subscriptions__SmtpHost"] = "127.0.0.1",
            ["Subscriptions__SmtpPort"] = AppProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Subscriptions__SmtpSecurity"] = "None",
            ["Subscriptions__SmtpFrom"] = "monitor@example.com",
            ["Alerts__StatusPageUrl"] = $"http://127.0.0.1:{port}/",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Subscriptions__AllowLoopback"] = "true",
            ["SSL_CERT_FILE"] = _dir.Write("webhook-ca.pem", Webhook.CertificatePem),
            ["SSL_CERT_DIR"] = Directory.CreateDirectory(Path.Combine(_dir.Path, "no-other-ca")).FullName,
        });
        return (app, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>One service: an http endpoint on a closed loopback port and a heartbeat whose token is an app setting.</summary>
    private static string Catalog() => $$"""
        { "services": [ { "id": "{{Service}}", "name": "Generated client", "category": "lab", "endpoints": [
            { "id": "{{Endpoint}}", "kind": "http", "url": "http://127.0.0.1:{{AppProcess.FreePort()}}/", "interval": "00:01:00", "timeout": "00:00:02" },
            { "id": "job", "kind": "push", "every": "00:05:00", "grace": "00:02:00", "tokenSetting": "GeneratedClient:PushToken" } ] } ] }
        """;

    public async Task DisposeAsync()
    {
        if (_open is not null)
        {
            await _open.DisposeAsync();
        }
        if (_limited is not null)
        {
            await _limited.DisposeAsync();
        }
        if (Webhook is not null)
        {
            await Webhook.DisposeAsync();
        }
        _dir.Dispose();
    }
}
