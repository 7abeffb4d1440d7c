using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Tests.Hosting.Worker.Rpc;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Hosting.Worker;

/// <summary>
/// A minimal Functions host for one published app: it listens for its worker on loopback over HTTP/2 without
/// TLS (as the real host does), starts the app as the host starts a dotnet-isolated worker, and speaks the
/// worker protocol to it. Every wait is bounded and every failure carries what the worker printed and logged.
/// </summary>
internal sealed class TestFunctionsHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly WebApplication _server;
    private readonly EventStreamService _stream;
    private readonly AppProcess _worker;
    private readonly HttpClient _http = new() { Timeout = Timeout };

    private TestFunctionsHost(WebApplication server, EventStreamService stream, AppProcess worker, string workerId)
    {
        _server = server;
        _stream = stream;
        _worker = worker;
        WorkerId = workerId;
    }

    public string WorkerId { get; }

    /// <summary>Console output of the worker process, then what it logged over the event stream.</summary>
    public string Output => $"{_worker.Output}--- worker logs over gRPC ---{Environment.NewLine}{_stream.Logs}";

    public static async Task<TestFunctionsHost> StartAsync(string scriptRoot, IDictionary<string, string?> appSettings)
    {
        var stream = new EventStreamService();
        var server = await StartServerAsync(stream);
        try
        {
            var workerId = Guid.NewGuid().ToString();
            var launch = WorkerLaunch.For(scriptRoot, new Uri(server.Urls.Single()), workerId, appSettings);
            var worker = AppProcess.Start(launch.FileName, launch.Arguments, launch.WorkingDirectory, launch.Environment);
            return new TestFunctionsHost(server, stream, worker, workerId);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public Task<StartStream> WaitForStartStreamAsync() => WithinTimeoutAsync(_stream.Started, "StartStream");

    /// <summary>Sends a request on the event stream and returns the worker's answer to it.</summary>
    public Task<StreamingMessage> RequestAsync(StreamingMessage request) =>
        WithinTimeoutAsync(_stream.SendAsync(request), $"an answer to {request.ContentCase}");

    /// <summary>
    /// What the host does for an HTTP-triggered function of a worker that reported an HttpUri: forward the client's
    /// request to that address with the invocation id in x-ms-invocation-id (DefaultHttpProxyService.StartForwarding),
    /// then send the InvocationRequest; the worker pairs the two by that id.
    /// </summary>
    public async Task<(HttpResponseMessage Http, InvocationResponse Invocation)> ProxyAsync(Uri workerHttpUri, HttpRequestMessage request, InvocationRequest invocation)
    {
        request.RequestUri = new Uri(workerHttpUri, request.RequestUri!.PathAndQuery);
        request.Headers.Add("x-ms-invocation-id", invocation.InvocationId);
        await WithinTimeoutAsync(ListeningAsync(workerHttpUri), $"the worker's HTTP listener at {workerHttpUri}");
        var forwarded = _http.SendAsync(request);
        var answer = RequestAsync(new StreamingMessage { InvocationRequest = invocation });
        var http = await WithinTimeoutAsync(forwarded, $"the HTTP answer to {request.Method} {request.RequestUri}");
        return (http, (await answer).InvocationResponse);
    }

    /// <summary>
    /// The worker reports its HttpUri in its init answer, which can come before its Kestrel listens; the Functions host
    /// retries a refused forward (its RetryProxyHandler), so this host waits until the port accepts a connection.
    /// </summary>
    private static async Task<bool> ListeningAsync(Uri workerHttpUri)
    {
        while (true)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(workerHttpUri.Host, workerHttpUri.Port);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task<T> WithinTimeoutAsync<T>(Task<T> task, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!task.IsCompleted)
        {
            if (_worker.HasExited)
            {
                await _worker.WaitForExitAsync(TimeSpan.FromSeconds(10)); // its output read to the end, not cut where the exit was seen
                throw new InvalidOperationException($"The worker exited ({_worker.ExitCode}) while the host waited for {what}:{Environment.NewLine}{Output}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No {what} from the worker within {Timeout}:{Environment.NewLine}{Output}");
            }
            await Task.WhenAny(task, Task.Delay(200));
        }
        try
        {
            return await task;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new InvalidOperationException($"Waiting for {what}: {e.Message}{Environment.NewLine}{Output}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync();
        _http.Dispose();
        // The worker is gone, so its stream is too; bound the stop anyway so a stuck call cannot hang the test run.
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _server.StopAsync(stopping.Token);
        await _server.DisposeAsync();
    }

    private static async Task<WebApplication> StartServerAsync(EventStreamService stream)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        // gRPC without TLS needs HTTP/2 with prior knowledge: an HTTP/2-only endpoint.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(stream);
        var server = builder.Build();
        server.MapGrpcService<EventStreamService>();
        await server.StartAsync();
        return server;
    }
}
