using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OutageLab;
using ServerlessMonitor.Subscriptions;

namespace ServerlessMonitor.Tests.Subscriptions;

/// <summary>How a receiver answers the validation challenge.</summary>
public enum ChallengeAnswer { Echo, WrongCode, NotFound, Redirect, Silent }

/// <summary>One event a receiver took: the CloudEvent, and whether its signature matched the secret the receiver was given.</summary>
public sealed record ReceivedEvent(string Receiver, JsonElement CloudEvent, string? ContentType, bool SignatureValid, string? Delivery);

/// <summary>
/// Another team's webhook on loopback over TLS, with a certificate dated from the test's clock: <c>POST /hook/{n}</c> is
/// receiver n. It answers the challenge as scripted per receiver, verifies each event's signature with the secret the
/// subscription returned (as a real receiver would), and answers events with the scripted status (200 unless set).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentQueue<ReceivedEvent> _events = new();
    private readonly ConcurrentQueue<(string Receiver, JsonElement CloudEvent)> _challenges = new();
    private readonly ConcurrentQueue<string> _requests = new();

    private WebhookReceiver(WebApplication app, X509Certificate2 certificate) => (_app, _certificate) = (app, certificate);

    public string Origin { get; private set; } = "";

    public ConcurrentDictionary<string, ChallengeAnswer> Challenge { get; } = new();

    /// <summary>The status answered to events for a receiver (200 unless set).</summary>
    public ConcurrentDictionary<string, int> Answers { get; } = new();

    /// <summary>The secret each receiver verifies signatures with (from the subscribe answer).</summary>
    public ConcurrentDictionary<string, string> Secrets { get; } = new();

    /// <summary>Where a receiver scripted <see cref="ChallengeAnswer.Redirect"/> points.</summary>
    public string RedirectTo { get; set; } = "http://169.254.169.254/latest/meta-data/";

    public IReadOnlyList<ReceivedEvent> Events => _events.ToList();

    public IReadOnlyList<(string Receiver, JsonElement CloudEvent)> Challenges => _challenges.ToList();

    /// <summary>Every request path the receiver saw, challenges included.</summary>
    public IReadOnlyList<string> Requests => _requests.ToList();

    /// <param name="clock">Dates the certificate: the clock of the app that connects.</param>
    /// <param name="authority">A certificate another process can trust through SSL_CERT_FILE (<see cref="CertificatePem"/>).</param>
    public static async Task<WebhookReceiver> StartAsync(TimeProvider clock, bool authority = false)
    {
        var certificate = LabCertificate.Create(TimeSpan.FromDays(30), clock.GetUtcNow(), authority);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, certificate);
        app.MapPost("/hook/{n}", (string n, HttpContext http) => receiver.ReceiveAsync(n, http));
        await app.StartAsync();
        receiver.Origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return receiver;
    }

    public string CertificatePem => _certificate.ExportCertificatePem();

    public string Url(string n) => $"{Origin}/hook/{n}";

    /// <summary>Makes the monitor's webhook client trust this receiver's certificate (and only it), as an operator's CA would be.</summary>
    public void Trust(IServiceCollection services)
    {
        var thumbprint = _certificate.GetCertHashString(HashAlgorithmName.SHA256);
        services.AddHttpClient(WebhookHttp.ClientName).ConfigurePrimaryHttpMessageHandler((handler, _) =>
            ((SocketsHttpHandler)handler).SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || certificate?.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint);
    }

    private async Task<IResult> ReceiveAsync(string n, HttpContext http)
    {
        _requests.Enqueue(http.Request.Path);
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var cloudEvent = JsonDocument.Parse(body).RootElement.Clone();
        if (cloudEvent.GetProperty("type").GetString() == WebhookChallenge.Type)
        {
            _challenges.Enqueue((n, cloudEvent));
            var code = cloudEvent.GetProperty("data").GetProperty("validationCode").GetString();
            return Challenge.GetValueOrDefault(n) switch
            {
                ChallengeAnswer.Echo => Results.Json(new Dictionary<string, string?> { ["validationResponse"] = code }),
                ChallengeAnswer.WrongCode => Results.Json(new Dictionary<string, string?> { ["validationResponse"] = code + "x" }),
                ChallengeAnswer.NotFound => Results.NotFound(),
                ChallengeAnswer.Redirect => Results.Redirect(RedirectTo, permanent: false, preserveMethod: true),
                _ => Results.Ok(),
            };
        }
        var signature = http.Request.Headers["X-ServerlessMonitor-Signature"].ToString();
        var valid = Secrets.TryGetValue(n, out var secret)
            && signature == "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        _events.Enqueue(new ReceivedEvent(n, cloudEvent, http.Request.ContentType, valid, http.Request.Headers["X-ServerlessMonitor-Delivery"]));
        return Results.StatusCode(Answers.GetValueOrDefault(n, 200));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
    }
}
