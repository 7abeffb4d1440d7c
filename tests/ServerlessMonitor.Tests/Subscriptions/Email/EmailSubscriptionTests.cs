using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Subscriptions.Email;
using ServerlessMonitor.Tests.Notifications;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions.Email;

/// <summary>Email double opt-in end to end, against a real SMTP server (SmtpLab) and the outage lab.</summary>
public class EmailSubscriptionTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private const string Reader = "reader@example.com";

    [Fact]
    public async Task Subscribe_ConfirmThenServiceDown_MailWithOneClickUnsubscribe_PostStopsAllMail()
    {
        const string name = "mail-flow";
        await using var smtp = SmtpLab.Start(ManualClock.Epoch);
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), EmailHarness.Settings(smtp));
        await app.NextCycleAsync();
        var client = app.CreateClient();

        using var posted = await client.PostAsJsonAsync(EmailSubscribeApi.SubscribePath, new { email = "Reader@Example.com", service = name });
        await app.HandledAsync(1);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var confirmation = Assert.Single(smtp.Messages);
        Assert.Equal([Reader], confirmation.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(["text/plain", "text/html"], Assert.IsType<MultipartAlternative>(confirmation.Body).Select(p => p.ContentType.MimeType));
        var link = EmailHarness.ConfirmLink(confirmation);
        Assert.DoesNotContain("reader", link, StringComparison.OrdinalIgnoreCase);
        // Following the link changes nothing (mail scanners follow links): it shows the confirm button.
        using var page = await client.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<button type=\"submit\">Confirm</button>", await page.Content.ReadAsStringAsync());
        Assert.Empty(await ListAsync(app, name));

        var token = QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), link).Query)["token"].ToString();
        using var confirmed = await client.PostAsync(EmailLinks.ConfirmPath, new FormUrlEncodedContent([new("token", token)]));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var subscription = Assert.Single(await ListAsync(app, name));
        Assert.Equal((SubscriptionKinds.Email, Reader), (subscription.Kind, subscription.Address));

        await OutageAsync(app, name);
        var down = await smtp.WaitForMailAsync(m => m.Subject?.Contains("is down", StringComparison.Ordinal) == true);

        Assert.Equal([Reader], down.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(["text/plain", "text/html"], Assert.IsType<MultipartAlternative>(down.Body).Select(p => p.ContentType.MimeType));
        var unsubscribe = down.Headers["List-Unsubscribe"] ?? "";
        Assert.Equal($"<http://127.0.0.1{UnsubscribeApi.PathFor(subscription.Id)}>", unsubscribe);
        Assert.Equal("List-Unsubscribe=One-Click", down.Headers["List-Unsubscribe-Post"]);
        Assert.Contains(unsubscribe.Trim('<', '>'), down.TextBody);

        // RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the URL, no further step.
        using var one = await client.PostAsync(new Uri(unsubscribe.Trim('<', '>')).PathAndQuery,
            new StringContent("List-Unsubscribe=One-Click", Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.True(one.IsSuccessStatusCode);
        Assert.Empty(await ListAsync(app, name));
        var before = smtp.Messages.Count;
        fixture.Lab.Switches.Up(name);
        await CyclesAsync(app, 3);
        await OutageAsync(app, name);
        await CyclesAsync(app, 2);

        Assert.Equal(before, smtp.Messages.Count);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains("reader@", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task OperatorUpdate_ConfirmedSubscriberOfTheService_GetsItByMail()
    {
        const string name = "mail-update";
        await using var smtp = SmtpLab.Start(ManualClock.Epoch);
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), Admin.AdminHarness.WithKey(EmailHarness.Settings(smtp)));
        await app.NextCycleAsync();
        var client = app.CreateClient();
        (await client.PostAsJsonAsync(EmailSubscribeApi.SubscribePath, new { email = Reader, service = name })).Dispose();
        await app.HandledAsync(1);
        var link = EmailHarness.ConfirmLink(Assert.Single(smtp.Messages));
        var token = QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), link).Query)["token"].ToString();
        (await client.PostAsync(EmailLinks.ConfirmPath, new FormUrlEncodedContent([new("token", token)]))).EnsureSuccessStatusCode();
        await OutageAsync(app, name);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var id = (await Admin.AdminHarness.IncidentsAsync(app, name)).EnumerateArray().First().GetProperty("id").GetString()!;

        (await Admin.AdminHarness.AdminClient(app).PostAsJsonAsync($"/api/admin/incidents/{id}/updates",
            new { state = "identified", text = "A bad CDN deploy; rolling back" })).EnsureSuccessStatusCode();
        await app.FireTimerAsync("AlertsTimer");

        var update = await smtp.WaitForMailAsync(m => m.Subject == $"Lab {name}: identified");
        Assert.Contains("A bad CDN deploy; rolling back", update.TextBody);
        Assert.Equal("List-Unsubscribe=One-Click", update.Headers["List-Unsubscribe-Post"]);
    }

    [Fact]
    public async Task Subscribe_SixPostsOfOneAddress_ThreeConfirmationsThatDay_MoreTheNextDay_OthersUnaffected()
    {
        const string name = "mail-limit";
        await using var smtp = SmtpLab.Start(ManualClock.Epoch);
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name),
            EmailHarness.Settings(smtp).With(new Dictionary<string, string?> { ["Subscriptions:PermitLimit"] = "100" }));
        var client = app.CreateClient();

        var answers = new List<string>();
        foreach (var email in new[] { Reader, "READER@example.com", Reader, Reader, " reader@example.com", Reader, "other@example.com" })
        {
            using var r = await client.PostAsJsonAsync(EmailSubscribeApi.SubscribePath, new { email, service = "*" });
            answers.Add($"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        }
        await app.HandledAsync(7);

        Assert.Single(answers.Distinct());
        Assert.Equal(3, smtp.Messages.Count(m => m.To.Mailboxes.Single().Address == Reader));
        Assert.Single(smtp.Messages, m => m.To.Mailboxes.Single().Address == "other@example.com");

        app.Clock.Advance(TimeSpan.FromDays(1));
        using var nextDay = await client.PostAsJsonAsync(EmailSubscribeApi.SubscribePath, new { email = Reader, service = "*" });
        await app.HandledAsync(8);
        Assert.Equal(4, smtp.Messages.Count(m => m.To.Mailboxes.Single().Address == Reader));
    }

    [Fact]
    public async Task Subscribe_NewPendingSubscribedAndLimitedAddresses_SameAnswerAndNoAddressOnPageOrInLogs()
    {
        const string name = "mail-oracle";
        await using var smtp = SmtpLab.Start(ManualClock.Epoch);
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name),
            EmailHarness.Settings(smtp).With(new Dictionary<string, string?> { ["Subscriptions:PermitLimit"] = "100" }));
        var client = app.CreateClient();
        // subscribed@ confirms; pending@ never does; limited@ used up its three mails.
        (await client.PostAsJsonAsync(EmailSubscribeApi.SubscribePath, new { email = "subscribed@example.com", service = name })).Dispose();
        (await client.PostAsJsonAsync(EmailSubscribeApi.SubscribePath, new { email = "pending@example.com", service = name })).Dispose();
        for (var i = 0; i < 3; i++)
        {
            (await client.PostAsJsonAsync(EmailSubscribeApi.SubscribePath, new { email = "limited@example.com", service = name })).Dispose();
        }
        await app.HandledAsync(5);
        var link = EmailHarness.ConfirmLink(smtp.Messages.Single(m => m.To.Mailboxes.Single().Address == "subscribed@example.com"));
        var token = QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), link).Query)["token"].ToString();
        (await client.PostAsync(EmailLinks.ConfirmPath, new FormUrlEncodedContent([new("token", token)]))).EnsureSuccessStatusCode();

        var answers = new List<string>();
        foreach (var email in new[] { "new@example.com", "pending@example.com", "subscribed@example.com", "limited@example.com" })
        {
            foreach (var form in new[] { false, true })
            {
                using var r = form
                    ? await client.PostAsync(EmailSubscribeApi.SubscribePath, new FormUrlEncodedContent([new("email", email), new("service", name)]))
                    : await client.PostAsJsonAsync(EmailSubscribeApi.SubscribePath, new { email, service = name });
                var headers = string.Join(";", r.Content.Headers.Concat(r.Headers).Where(h => h.Key != "Date").Select(h => $"{h.Key}={string.Join(",", h.Value)}"));
                answers.Add($"{form} {(int)r.StatusCode} {headers} {await r.Content.ReadAsStringAsync()}");
            }
        }

        Assert.Equal(2, answers.Distinct().Count());
        Assert.All(answers, a => Assert.Contains(" 202 ", a));
        var html = await client.GetStringAsync("/");
        Assert.Contains($"action=\"{EmailSubscribeApi.SubscribePath}\"", html);
        Assert.DoesNotContain("@example.com", html);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains("@example.com", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("""{"email":"not-an-address","service":"*"}""", "application/json", 400, "email")]
    [InlineData("""{"email":"a@example.com","service":"nope"}""", "application/json", 404, "service")]
    [InlineData("email=a@example.com", "text/plain", 415, "body")]
    public async Task Subscribe_BadInput_ProblemNamingTheField(string body, string contentType, int status, string field)
    {
        await using var smtp = SmtpLab.Start(ManualClock.Epoch);
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "mail-bad"), EmailHarness.Settings(smtp));

        using var r = await app.CreateClient().PostAsync(EmailSubscribeApi.SubscribePath, new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(status, (int)r.StatusCode);
        Assert.Equal(field, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.DoesNotContain("a@example.com", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Subscribe_ManyPostsFromOneNetwork_429()
    {
        await using var smtp = SmtpLab.Start(ManualClock.Epoch);
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "mail-net"),
            EmailHarness.Settings(smtp).With(new Dictionary<string, string?> { ["Subscriptions:PermitLimit"] = "3" }));
        var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var r = await client.PostAsJsonAsync(EmailSubscribeApi.SubscribePath, new { email = $"n{i}@example.com", service = "*" });
            statuses.Add(r.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Confirm_LinkOlderThan24Hours_ExpiredPageNothingStored()
    {
        const string name = "mail-expired";
        await using var smtp = SmtpLab.Start(ManualClock.Epoch);
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), EmailHarness.Settings(smtp));
        var client = app.CreateClient();
        (await client.PostAsJsonAsync(EmailSubscribeApi.SubscribePath, new { email = Reader, service = name })).Dispose();
        await app.HandledAsync(1);
        var link = EmailHarness.ConfirmLink(Assert.Single(smtp.Messages));

        app.Clock.Advance(TimeSpan.FromHours(24).Add(TimeSpan.FromMinutes(1)));
        using var page = await client.GetAsync(link);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("expired", await page.Content.ReadAsStringAsync());
        Assert.Empty(await ListAsync(app, name));
    }

    [Fact]
    public async Task Channel_RecipientRefusedForGood_GoneElseAcceptedWithHeaders()
    {
        await using var smtp = SmtpLab.Start(ManualClock.Epoch);
        smtp.Refused["gone@example.com"] = true;
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "mail-gone"), EmailHarness.Settings(smtp));
        var channel = app.Services.GetServices<ISubscriberChannel>().Single(c => c.Kind == SubscriptionKinds.Email);
        var message = new SubscriberMessage("event-1", "ServerlessMonitor.Service.Down", "mail-gone", "Lab mail-gone", "Lab mail-gone is down",
            "since 12:00 UTC, likely cause: server errors", "http://127.0.0.1/#mail-gone", ManualClock.Epoch);

        var gone = await channel.SendAsync(message, new Subscription("sub-gone", "email", "mail-gone", "gone@example.com", ManualClock.Epoch, 0), CancellationToken.None);
        var ok = await channel.SendAsync(message, new Subscription("sub-ok", "email", "mail-gone", "ok@example.com", ManualClock.Epoch, 0), CancellationToken.None);

        Assert.Equal(SubscriberSendResult.Gone, gone);
        Assert.Equal(SubscriberSendResult.Accepted, ok);
        var mail = Assert.Single(smtp.Messages);
        Assert.Equal($"{SubscriberDeliveryIds.For("event-1", "sub-ok")}@serverlessmonitor", mail.MessageId);
        Assert.Contains("since 12:00 UTC", mail.TextBody);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains("@example.com", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<List<Subscription>> ListAsync(MonitorAppFactory app, string service)
    {
        var list = new List<Subscription>();
        await foreach (var s in app.Services.GetRequiredService<SubscriptionStore>().ListAsync(service, CancellationToken.None))
        {
            list.Add(s);
        }
        return list;
    }

    /// <summary>The service goes down for three cycles (an incident), and the outbox is swept so its message goes out.</summary>
    private async Task OutageAsync(MonitorAppFactory app, string name)
    {
        fixture.Lab.Switches.Set(name, 500);
        await CyclesAsync(app, 3);
    }

    private static async Task CyclesAsync(MonitorAppFactory app, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await app.NextCycleAsync();
            await app.FireTimerAsync("AlertsTimer");
        }
    }
}
