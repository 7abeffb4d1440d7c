extern alias functions;
using System.Text.Json;
using functions::ServerlessMonitor.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ServerlessMonitor.Tests.Hosting;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Push;

/// <summary>Heartbeats through the Functions app's classes on the app's own wiring, on both storage backends.</summary>
[Collection("Azurite")]
public sealed class PushFunctionClassesTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task FunctionClasses_TokenBeatsSilenceAndBeat_UpDownUp(string backend)
    {
        var service = "fn-push-" + backend;
        using var dir = new TempDirectory();
        await using var functions = await FunctionsWiring.StartAsync(PushEndToEndTests.Catalog(service),
            Backends.Settings(backend, azurite, dir.File("fn-push.db"), "fnpush" + Guid.NewGuid().ToString("N")[..8]));
        var push = functions.Function<PushFunctions>();
        var timer = functions.Function<TimerFunctions>();

        var created = await functions.HttpAsync(r => push.AdminRotatePushToken(r, service, "backup"), "POST", $"/api/admin/push/{service}/backup/token");
        var token = JsonDocument.Parse(created.Body).RootElement.GetProperty("token").GetString()!;
        var beat = await functions.HttpAsync(r => push.Push(r, token), "GET", $"/api/push/{token}", r => r.QueryString = new QueryString("?status=up&msg=OK&ping=5"));
        var afterBeat = await StatusAsync(functions, service);
        for (var i = 0; i < 7; i++)
        {
            functions.Clock.Advance(TimeSpan.FromMinutes(1));
            await timer.ProbeTimer(new TimerInfo(), CancellationToken.None);
        }
        var silent = await StatusAsync(functions, service);
        var exit = await functions.HttpAsync(r => push.PushSignal(r, token, "0"), "GET", $"/api/push/{token}/0");
        var unknown = await functions.HttpAsync(r => push.Push(r, "smp_unknown"), "GET", "/api/push/smp_unknown");

        Assert.Equal(200, created.Status);
        Assert.Equal((200, "{\"ok\":true}"), (beat.Status, beat.Body));
        Assert.Equal("up", afterBeat);
        Assert.Equal("down", silent);
        Assert.Equal(200, exit.Status);
        Assert.Equal("up", await StatusAsync(functions, service));
        Assert.Equal(404, unknown.Status);
    }

    private static async Task<string?> StatusAsync(FunctionsWiring functions, string service)
    {
        var answer = await functions.HttpAsync(r => functions.Function<PublicFunctions>().GetServiceStatus(r, service), "GET", $"/api/status/{service}");
        return JsonDocument.Parse(answer.Body).RootElement.GetProperty("endpoints")[0].GetProperty("status").GetString();
    }
}
