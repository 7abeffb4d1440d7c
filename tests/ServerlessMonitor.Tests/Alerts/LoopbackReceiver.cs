using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>One request as the receiver saw it: method, headers and the exact body bytes.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, random port) that records every request and answers
/// through <c>respond</c>: an Event Grid topic or a webhook subscriber, as each test needs.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ReceivedRequest> _requests = [];

    private LoopbackReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The webhook default: allow any origin in the handshake, accept every POST.</summary>
    public static Task Accept(ReceivedRequest request, HttpResponse response)
    {
        if (request.Method == "OPTIONS")
        {
            response.Headers["WebHook-Allowed-Origin"] = request.Header("WebHook-Request-Origin") ?? "*";
            response.Headers.Allow = "POST";
        }
        response.StatusCode = 200;
        return Task.CompletedTask;
    }

    public static async Task<LoopbackReceiver> StartAsync(Func<ReceivedRequest, HttpResponse, Task>? respond = null)
    {
        respond ??= Accept;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app);
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var request = new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, buffer.ToArray());
            lock (receiver._requests)
            {
                receiver._requests.Add(request);
            }
            await respond(request, context.Response);
        });
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.Single());
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
