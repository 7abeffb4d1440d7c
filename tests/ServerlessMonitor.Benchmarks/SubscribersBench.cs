using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OutageLab;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Subscriptions;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// --subscribers: N web push subscriptions of one service (the standalone wiring, SQLite); the service goes down and
/// the time is taken from the start of the cycle that records it to the last push the loopback push service accepted
/// (it verifies each VAPID JWT and decrypts each aes128gcm body, as a browser would). The way is the real one: outbox
/// row, subscribers sink, fan-out, web push channel. Pushes still waiting after the cycle are sent by the outbox's
/// retry pass (the AlertsTimer's job), run here at once, and are counted in the time.
/// </summary>
internal static class SubscribersBench
{
    public static async Task RunAsync(IConfiguration options)
    {
        var n = int.Parse(options["n"] ?? "10000", CultureInfo.InvariantCulture);
        var parallelism = options["parallelism"];
        await using var lab = await OutageLabServer.StartAsync(port: 0);
        var work = Directory.CreateTempSubdirectory("sm-subscribers");
        var catalogPath = Path.Combine(work.FullName, "monitors.json");
        File.WriteAllText(catalogPath, $$"""
            { "services": [ { "id": "fans", "name": "Fans", "endpoints": [
                { "id": "web", "url": "{{lab.Http("/switch/fans-web")}}", "failureThreshold": 1, "conditions": ["[STATUS] == 200"] } ] } ] }
            """);
        var keys = VapidKeys.Generate();
        var settings = new Dictionary<string, string?>
        {
            ["Monitor:Catalog"] = catalogPath,
            ["Monitor:ConfirmationDelay"] = "00:00:00",
            ["Storage:Mode"] = "Sqlite",
            ["Storage:SqlitePath"] = Path.Combine(work.FullName, "subscribers.db"),
            ["Subscriptions:VapidPublicKey"] = keys.PublicKey,
            ["Subscriptions:VapidPrivateKey"] = keys.PrivateKey,
            ["Subscriptions:AllowLoopback"] = "true",
        };
        if (parallelism is not null)
        {
            settings["Subscriptions:Parallelism"] = parallelism;
        }
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(settings);
        var clock = new SteppingClock();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddMonitor(MonitorHost.Standalone);
        builder.Services.RemoveAll<ICycleListener>();
        using var host = builder.Build();
        await host.StartAsync();
        await using var push = await LoopbackPushService.StartAsync(clock);
        await SubscribeAsync(host.Services.GetRequiredService<SubscriptionStore>(), push, n);

        var cycle = host.Services.GetRequiredService<ProbeCycle>();
        clock.Advance(TimeSpan.FromMinutes(1));
        await cycle.RunAsync(CancellationToken.None);
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        push.Accepted += count =>
        {
            if (count >= n)
            {
                last.TrySetResult();
            }
        };
        lab.Switches.Set("fans-web", 500);
        clock.Advance(TimeSpan.FromMinutes(1));
        var timer = Stopwatch.StartNew();
        await cycle.RunAsync(CancellationToken.None);
        var cycleSeconds = timer.Elapsed.TotalSeconds;
        var retries = await RetryUntilDoneAsync(host.Services.GetRequiredService<OutboxDispatcher>(), clock, last.Task);
        timer.Stop();
        await host.StopAsync();

        var accepted = push.Received.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"BENCH subscribers n={n} service_down_to_last_push_s={(accepted >= n ? timer.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) : "none")} cycle_s={cycleSeconds:F2} accepted={accepted} rejected={push.Rejected.Count} retry_passes={retries} parallelism={parallelism ?? "default"} backend=sqlite"));
        work.Delete(recursive: true);
        if (accepted != n || push.Rejected.Count > 0)
        {
            throw new InvalidOperationException($"{accepted} of {n} pushes accepted, {push.Rejected.Count} rejected: {string.Join(" | ", push.Rejected.Take(3))}");
        }
    }

    /// <summary>Subscribers 0..n-1, stored as the subscribe route stores them.</summary>
    private static Task SubscribeAsync(SubscriptionStore store, LoopbackPushService push, int n) =>
        Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var json = push.Subscribe(i.ToString(CultureInfo.InvariantCulture));
            var (input, problem, _) = PushSubscriptionInput.Parse(Encoding.UTF8.GetBytes(json), allowLoopback: true);
            await store.AddAsync(SubscriptionKinds.Push, "fans", input?.ToAddress() ?? throw new InvalidOperationException(problem), ct);
        });

    /// <summary>The outbox's retry pass, at the moment each is due, until the last push is in (at most 20 passes).</summary>
    private static async Task<int> RetryUntilDoneAsync(OutboxDispatcher outbox, SteppingClock clock, Task last)
    {
        var passes = 0;
        while (!last.IsCompleted && passes < 20)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await outbox.DispatchPendingAsync(CancellationToken.None);
            passes++;
        }
        await Task.WhenAny(last, Task.Delay(TimeSpan.FromSeconds(30)));
        return passes;
    }
}
