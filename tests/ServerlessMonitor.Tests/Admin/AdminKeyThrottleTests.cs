using System.Net;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Admin;

public class AdminKeyThrottleTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private const string Attacker = "198.51.100.9";
    private const string WrongKey = "wrong-key-wrong-key-wrong";

    [Fact]
    public async Task WrongKeys_400InARow_TenAnswered401ThenRefused429WithRetryAfter_OneLogLine_OtherAddressesUnaffected()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "throttle"), AdminHarness.WithKey());
        var guesser = app.ClientFrom(Attacker, WrongKey);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 400; i++)
        {
            answers.Add(await guesser.GetAsync("/api/admin/maintenance"));
        }
        using var rightKeyDuringLockout = await app.ClientFrom(Attacker, AdminHarness.Key).GetAsync("/api/admin/maintenance");
        using var neighbour = await app.ClientFrom("203.0.113.5", AdminHarness.Key).GetAsync("/api/admin/maintenance");
        using var neighbourWrong = await app.ClientFrom("203.0.113.6", WrongKey).GetAsync("/api/admin/maintenance");

        Assert.All(answers.Take(10), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.All(answers.Skip(10), a =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode);
            Assert.Equal("application/problem+json", a.Content.Headers.ContentType?.MediaType);
            Assert.InRange(a.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 15 * 60);
        });
        // Locked out means locked out: the key is not even checked, so the lock-out reveals nothing about it.
        Assert.Equal(HttpStatusCode.TooManyRequests, rightKeyDuringLockout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, neighbour.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, neighbourWrong.StatusCode);
        var lines = RefusalLogLines(app);
        Assert.Single(lines, l => l.Contains(Attacker, StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("203.0.113.6", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(WrongKey, StringComparison.Ordinal) || l.Contains(AdminHarness.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongKeys_WindowOver_KeyWorksAgain_NextFailureLogsThePreviousWindowsCounts()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "throttle-later"), AdminHarness.WithKey());
        var guesser = app.ClientFrom(Attacker, WrongKey);
        for (var i = 0; i < 25; i++)
        {
            (await guesser.GetAsync("/api/admin/maintenance")).Dispose();
        }

        app.Clock.Advance(TimeSpan.FromMinutes(15));
        using var rightKey = await app.ClientFrom(Attacker, AdminHarness.Key).GetAsync("/api/admin/maintenance");
        using var wrongAgain = await guesser.GetAsync("/api/admin/maintenance");

        Assert.Equal(HttpStatusCode.OK, rightKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAgain.StatusCode);
        var lines = RefusalLogLines(app);
        Assert.Equal(2, lines.Count);
        Assert.Contains("Its previous window: 10 failed, 15 refused with 429", lines[1], StringComparison.Ordinal);
    }

    private static List<string> RefusalLogLines(MonitorAppFactory app) => app.Logs.Entries
        .Where(e => e.Category.EndsWith("AdminKeyFilter", StringComparison.Ordinal))
        .Select(e => e.Message)
        .ToList();
}
