using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Subscriptions.Email;
using ServerlessMonitor.Tests.Notifications;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions.Email;

/// <summary>The stored confirmation queue: a request outlives the instance that took it, and two instances never both take one.</summary>
public class ConfirmationQueueTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Subscribe_StoppedBeforeTheMailWentOut_SentAfterRestartAndTheLinkWorks()
    {
        const string name = "mail-durable";
        using var dir = new TempDirectory();
        await using var smtp = SmtpLab.Start(ManualClock.Epoch);
        var database = new Dictionary<string, string?> { ["Storage:SqlitePath"] = dir.File("monitor.db"), ["Subscriptions:ConfirmationSweep"] = "00:00:01" };
        // First instance: its SMTP server is not there, so the mail cannot go out before it stops.
        await using (var first = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), EmailHarness.Settings(smtp).With(database)
            .With(new Dictionary<string, string?> { ["Subscriptions:SmtpPort"] = AppProcess.FreePort().ToString(CultureInfo.InvariantCulture) })))
        {
            using var posted = await first.CreateClient().PostAsJsonAsync(EmailSubscribeApi.SubscribePath, new { email = "reader@example.com", service = name });
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            await first.HandledAsync(1);
        }
        Assert.Empty(smtp.Messages);
        Assert.Single(await PendingAsync(dir));

        await using var second = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), EmailHarness.Settings(smtp).With(database));
        second.Clock.Advance(ConfirmationMailer.RetryDelay + TimeSpan.FromSeconds(1));
        _ = second.Services;
        var mail = await smtp.WaitForMailAsync(m => m.To.Mailboxes.Any(b => b.Address == "reader@example.com"));
        var token = QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), EmailHarness.ConfirmLink(mail)).Query)["token"].ToString();
        using var confirmed = await second.CreateClient().PostAsync(EmailLinks.ConfirmPath, new FormUrlEncodedContent([new("token", token)]));

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Single(smtp.Messages);
        Assert.Empty(await PendingAsync(dir));
        Assert.Equal("reader@example.com", Assert.Single(await second.Services.GetRequiredService<SubscriptionStore>().ListAsync(name, CancellationToken.None)
            .Where(s => s.Kind == SubscriptionKinds.Email).ToListAsync()).Address);
    }

    [Fact]
    public async Task ClaimDueAsync_TwoInstancesOnOneStore_EachRequestClaimedOnceUntilTheClaimLapses()
    {
        using var dir = new TempDirectory();
        await using var store = new SqliteTableStore(dir.File("queue.db"));
        var tables = new MonitorTables("q");
        await store.CreateTableIfNotExistsAsync(tables.SubscriberDeliveries);
        var clock = new ManualClock();
        ConfirmationQueue one = new(store, tables, clock), two = new(store, tables, clock);
        await one.EnqueueAsync(new PendingConfirmation("tiktok", "a@example.com"), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1));
        await one.EnqueueAsync(new PendingConfirmation("tiktok", "b@example.com"), CancellationToken.None);

        var first = await one.ClaimDueAsync(CancellationToken.None).ToListAsync();
        var second = await two.ClaimDueAsync(CancellationToken.None).ToListAsync();
        clock.Advance(ConfirmationQueue.ClaimDuration + TimeSpan.FromSeconds(1));
        var afterLapse = await two.ClaimDueAsync(CancellationToken.None).ToListAsync();
        await two.CompleteAsync(afterLapse[0], CancellationToken.None);
        clock.Advance(ConfirmationQueue.ClaimDuration + TimeSpan.FromSeconds(1));
        var left = await one.ClaimDueAsync(CancellationToken.None).ToListAsync();

        Assert.Equal(["a@example.com", "b@example.com"], first.Select(c => c.Request.Address));
        Assert.Empty(second);
        Assert.Equal(2, afterLapse.Count);
        Assert.Equal(["b@example.com"], left.Select(c => c.Request.Address));
    }

    private static async Task<List<TableEntity>> PendingAsync(TempDirectory dir)
    {
        await using var store = new SqliteTableStore(dir.File("monitor.db"));
        return await store.QueryAllAsync(new MonitorTables("").SubscriberDeliveries, ConfirmationRows.Partition, RowKeyRange.All).ToListAsync();
    }
}
