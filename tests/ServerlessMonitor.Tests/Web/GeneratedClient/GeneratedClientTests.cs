using System.Buffers.Text;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessMonitor.Subscriptions.Email;

namespace ServerlessMonitor.Tests.Web.GeneratedClient;

/// <summary>
/// A client Kiota generates from the served OpenAPI document, compiled in the test with typed calls written against
/// it, calls every public operation of a standalone host on loopback; its errors arrive as the document's Problem type.
/// </summary>
public sealed class GeneratedClientTests(GeneratedClientFixture fixture) : IClassFixture<GeneratedClientFixture>
{
    [Fact]
    public async Task GeneratedClient_EveryPublicOperation_AnswersWithTheDocumentedSuccess()
    {
        var recorder = new RecordingHandler { InnerHandler = new HttpClientHandler() };
        using var http = new HttpClient(recorder);
        // A confirmation link as the mail would carry it (the mail itself goes to an SMTP server that is not there).
        var confirmToken = new EmailTokens(GeneratedClientFixture.SigningKey).CreateConfirm(
            new ConfirmRequest(GeneratedClientFixture.Service, "reader@example.com", DateTimeOffset.UtcNow.AddHours(1)));
        // A browser's push subscription keys: an uncompressed P-256 public key and a 16-byte auth secret.
        using var browserKey = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var q = browserKey.ExportParameters(includePrivateParameters: false).Q;
        var p256dh = Base64Url.EncodeToString([0x04, .. q.X!, .. q.Y!]);
        var auth = Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var lines = await fixture.CallAsync<List<string>>("CallEveryOperationAsync", http, fixture.BaseUri.ToString().TrimEnd('/'),
            GeneratedClientFixture.Service, GeneratedClientFixture.Endpoint, GeneratedClientFixture.PushToken, confirmToken, p256dh, auth, fixture.Webhook.Url("generated-client"));

        Assert.Contains($"status {GeneratedClientFixture.Service}", lines);
        Assert.Contains($"service {GeneratedClientFixture.Service} endpoints={GeneratedClientFixture.Endpoint},job", lines);
        Assert.Contains($"checks {GeneratedClientFixture.Service}", lines);
        Assert.Contains("report accepted=True", lines);
        Assert.Contains("push-signal-post ok=True", lines);
        Assert.Contains("unsubscribe unsubscribed=True", lines);
        Assert.Contains("email accepted=True", lines);
        Assert.Contains("push key=True", lines);
        Assert.Contains($"push subscribed service={GeneratedClientFixture.Service}", lines);
        Assert.Contains($"webhook subscribed service={GeneratedClientFixture.Service} secret=True", lines);
        var missing = new List<string>();
        foreach (var (method, template, successes) in Operations(fixture.Document))
        {
            var pattern = new Regex("^" + Regex.Replace(Regex.Escape(template), @"\\\{[a-z]+}", "[^/]+") + "$");
            var calls = recorder.Calls.Where(c => c.Method == method && pattern.IsMatch(c.Path)).ToList();
            if (!calls.Any(c => successes.Contains(((int)c.Status).ToString(System.Globalization.CultureInfo.InvariantCulture))))
            {
                missing.Add($"{method} {template} (called: {string.Join(", ", calls.Select(c => $"{c.Path} {(int)c.Status}"))})");
            }
        }
        Assert.True(missing.Count == 0, "operations the generated client did not call with a documented success:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Document_PostReport_DescribesItsJsonBodyWithOnlyKindRequired()
    {
        var body = fixture.Document.GetProperty("paths").GetProperty("/api/services/{service}/reports").GetProperty("post").GetProperty("requestBody");
        Assert.Equal("#/components/schemas/ReportInput", body.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        var schema = fixture.Document.GetProperty("components").GetProperty("schemas").GetProperty("ReportInput");
        Assert.Equal(["kind"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(schema.GetProperty("properties").TryGetProperty("message", out _));
    }

    [Fact]
    public async Task GeneratedClient_UnknownService_ThrowsTheTypedProblem404()
    {
        using var http = new HttpClient();
        var (status, title, detail, parameter, _) = await fixture.CallAsync<(int, string?, string?, string?, int?)>("UnknownServiceAsync", http,
            fixture.BaseUri.ToString().TrimEnd('/'));

        Assert.Equal(404, status);
        Assert.Equal("Unknown service", title);
        Assert.Contains("no-such-service", detail, StringComparison.Ordinal);
        Assert.Null(parameter);
    }

    [Fact]
    public async Task GeneratedClient_OverThePublicRateLimit_ThrowsTheTypedProblem429WithRetryAfter()
    {
        using var http = new HttpClient();
        var (status, title, retryAfterSeconds, header, calls) = await fixture.CallAsync<(int, string?, int?, string?, int)>("UntilRateLimitedAsync", http,
            fixture.LimitedBaseUri.ToString().TrimEnd('/'), 20);

        Assert.Equal(429, status);
        Assert.Equal("Too many requests", title);
        Assert.True(calls > GeneratedClientFixture.TightLimit, $"429 after {calls} calls");
        Assert.NotNull(retryAfterSeconds);
        Assert.InRange(retryAfterSeconds.Value, 1, 60);
        Assert.Equal(retryAfterSeconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), header);
    }

    /// <summary>Every operation of the document: method, path template and its 2xx answers.</summary>
    private static IEnumerable<(HttpMethod Method, string Template, HashSet<string> Successes)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from op in path.Value.EnumerateObject()
        select (new HttpMethod(op.Name.ToUpperInvariant()), path.Name,
            op.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).Where(r => r.StartsWith('2')).ToHashSet());

    private sealed class RecordingHandler : DelegatingHandler
    {
        private readonly List<(HttpMethod Method, string Path, HttpStatusCode Status)> _calls = [];

        public IReadOnlyList<(HttpMethod Method, string Path, HttpStatusCode Status)> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            lock (_calls)
            {
                _calls.Add((request.Method, request.RequestUri!.AbsolutePath, response.StatusCode));
            }
            return response;
        }
    }
}
