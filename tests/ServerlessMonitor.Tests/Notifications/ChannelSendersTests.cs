using System.Text.Json;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Notifications.Channels;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>Each real sender against a loopback fake that checks what its provider checks.</summary>
public class ChannelSendersTests
{
    public static TheoryData<ChannelKind> WebKinds => new(ChannelRig.WebKinds);

    [Theory]
    [MemberData(nameof(WebKinds))]
    public async Task Send_MessageFarOverEveryLimit_ProviderAcceptsItTruncated(ChannelKind kind)
    {
        await using var fake = await ChannelRig.FakeAsync(kind);

        await ChannelRig.Sender(kind, fake.Url).SendAsync(ChannelRig.Huge(), CancellationToken.None);

        Assert.Empty(fake.Rejected);
        var request = Assert.Single(fake.Accepted);
        Assert.Contains(ChannelText.Ellipsis, request.BodyText);
    }

    [Theory]
    [MemberData(nameof(WebKinds))]
    public async Task Send_ProviderRejects_ErrorCarriesItsAnswerWithoutTheSecret(ChannelKind kind)
    {
        await using var fake = await ChannelRig.FakeAsync(kind);
        // A provider that echoes what it got (the URL, the credentials, the body): the secrets among it must not come back out.
        fake.Fault = r => new FakeAnswer(400, "{\"error\":\"bad request for " + r.PathAndQuery + " " + r.Header("Authorization") + " " + r.BodyText.Replace("\"", "'") + "\"}");

        var e = await Assert.ThrowsAsync<AlertDeliveryException>(() => ChannelRig.Sender(kind, fake.Url).SendAsync(ChannelRig.Small(), CancellationToken.None));

        Assert.Contains("HTTP 400", e.Message);
        Assert.Contains("bad request", e.Message);
        Assert.All(ProviderRules.Secrets, s => Assert.DoesNotContain(s, e.Message));
        Assert.Null(e.RetryAfter);
    }

    [Theory]
    [MemberData(nameof(WebKinds))]
    public async Task Send_Provider429WithRetryAfter_ErrorCarriesTheDelay(ChannelKind kind)
    {
        await using var fake = await ChannelRig.FakeAsync(kind);
        fake.Fault = _ => new FakeAnswer(429, """{"message":"slow down"}""", RetryAfter: "120");

        var e = await Assert.ThrowsAsync<AlertDeliveryException>(() => ChannelRig.Sender(kind, fake.Url).SendAsync(ChannelRig.Small(), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(120), e.RetryAfter);
    }

    [Fact]
    public async Task Telegram_429WithRetryAfterInBody_ErrorCarriesTheDelay()
    {
        await using var fake = await ChannelRig.FakeAsync(ChannelKind.Telegram);
        fake.Fault = _ => new FakeAnswer(429, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}""");

        var e = await Assert.ThrowsAsync<AlertDeliveryException>(() =>
            ChannelRig.Sender(ChannelKind.Telegram, fake.Url).SendAsync(ChannelRig.Small(), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
    }

    [Fact]
    public async Task Slack_SixHundredFacts_FiftyBlocksAndEscapedText()
    {
        await using var fake = await ChannelRig.FakeAsync(ChannelKind.Slack);

        await ChannelRig.Sender(ChannelKind.Slack, fake.Url).SendAsync(ChannelRig.Huge(), CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(fake.Accepted).Body).RootElement;
        Assert.Equal(SlackSender.MaxBlocks, body.GetProperty("blocks").GetArrayLength());
        var section = body.GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString()!;
        Assert.Equal(SlackSender.MaxSection, section.Length);
        Assert.EndsWith(ChannelText.Ellipsis, section);
        Assert.Contains("&lt;@everyone&gt; &amp; &lt;script&gt;", section);
    }

    [Fact]
    public async Task Telegram_HugeMessage_VisibleTextIsExactly4096AndParses()
    {
        await using var fake = await ChannelRig.FakeAsync(ChannelKind.Telegram);

        await ChannelRig.Sender(ChannelKind.Telegram, fake.Url).SendAsync(ChannelRig.Huge(), CancellationToken.None);

        var text = JsonDocument.Parse(Assert.Single(fake.Accepted).Body).RootElement.GetProperty("text").GetString()!;
        var visible = ProviderRules.TelegramVisible(text)!;
        Assert.Equal(TelegramSender.MaxText, visible.Length);
        Assert.StartsWith("<b>TikTok &lt;b&gt;is&lt;/b&gt; down &amp; &quot;out&quot;", text);
        Assert.EndsWith("<a href=\"https://status.example.com/#tiktok\">Status page</a>", text);
    }

    [Fact]
    public async Task Discord_HugeMessage_ContentAndEmbedWithinLimitsMentionsOff()
    {
        await using var fake = await ChannelRig.FakeAsync(ChannelKind.Discord);

        await ChannelRig.Sender(ChannelKind.Discord, fake.Url).SendAsync(ChannelRig.Huge(), CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(fake.Accepted).Body).RootElement;
        var embed = body.GetProperty("embeds")[0];
        Assert.True(body.GetProperty("content").GetString()!.Length <= DiscordSender.MaxContent);
        Assert.InRange(embed.GetProperty("fields").GetArrayLength(), 1, DiscordSender.MaxFields);
        Assert.EndsWith(ChannelText.Ellipsis, embed.GetProperty("description").GetString());
        Assert.Equal(0, body.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
    }

    [Fact]
    public async Task PagerDuty_TriggerThenResolve_SameDedupKeySummaryAt1024()
    {
        await using var fake = await ChannelRig.FakeAsync(ChannelKind.PagerDuty);
        var sender = ChannelRig.Sender(ChannelKind.PagerDuty, fake.Url);

        await sender.SendAsync(ChannelRig.Huge(), CancellationToken.None);
        await sender.SendAsync(ChannelRig.Huge(resolves: true), CancellationToken.None);

        var events = fake.Accepted.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["trigger", "resolve"], events.Select(e => e.GetProperty("event_action").GetString()));
        Assert.All(events, e => Assert.Equal("incident-0123456789abcdef", e.GetProperty("dedup_key").GetString()));
        Assert.Equal(PagerDutySender.MaxSummary, events[0].GetProperty("payload").GetProperty("summary").GetString()!.Length);
        Assert.Equal("critical", events[0].GetProperty("payload").GetProperty("severity").GetString());
    }

    [Fact]
    public async Task Opsgenie_CreateThenClose_ByAliasWithGenieKey()
    {
        await using var fake = await ChannelRig.FakeAsync(ChannelKind.Opsgenie);
        var sender = ChannelRig.Sender(ChannelKind.Opsgenie, fake.Url);

        await sender.SendAsync(ChannelRig.Huge(), CancellationToken.None);
        await sender.SendAsync(ChannelRig.Huge(resolves: true), CancellationToken.None);

        Assert.Equal(["/v2/alerts", "/v2/alerts/incident-0123456789abcdef/close?identifierType=alias"], fake.Accepted.Select(r => r.PathAndQuery));
        var create = JsonDocument.Parse(fake.Accepted[0].Body).RootElement;
        Assert.Equal(OpsgenieSender.MaxMessage, create.GetProperty("message").GetString()!.Length);
        Assert.Equal("incident-0123456789abcdef", create.GetProperty("alias").GetString());
        Assert.Equal("P1", create.GetProperty("priority").GetString());
    }

    [Fact]
    public async Task Ntfy_Message_HeadersTokenAndEncodedTitle()
    {
        await using var fake = await ChannelRig.FakeAsync(ChannelKind.Ntfy);

        await ChannelRig.Sender(ChannelKind.Ntfy, fake.Url).SendAsync(ChannelRig.Huge(), CancellationToken.None);

        var request = Assert.Single(fake.Accepted);
        Assert.Equal("/monitor-alerts", request.PathAndQuery);
        Assert.Equal(("5", "rotating_light", "https://status.example.com/#tiktok"), (request.Header("Priority"), request.Header("Tags"), request.Header("Click")));
        var title = request.Header("Title")!;
        Assert.StartsWith("=?UTF-8?B?", title);
        Assert.StartsWith("TikTok <b>is</b> down & \"out\" 🚨", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(title[10..^2])));
        Assert.True(request.Body.Length <= NtfySender.MaxBodyBytes);
    }

    [Fact]
    public async Task Teams_Card_ParsedByTheAdaptiveCardsLibraryWithoutProblems()
    {
        await using var fake = await ChannelRig.FakeAsync(ChannelKind.Teams);

        await ChannelRig.Sender(ChannelKind.Teams, fake.Url).SendAsync(ChannelRig.Huge(), CancellationToken.None);

        var card = JsonDocument.Parse(Assert.Single(fake.Accepted).Body).RootElement.GetProperty("attachments")[0].GetProperty("content");
        var (problems, body, actions, version) = await AdaptiveCardsLibrary.ParseAsync(card);
        Assert.Empty(problems);
        Assert.Equal((3, 1, "1.5"), (body, actions, version));
    }

    [Fact]
    public async Task Teams_FakeRejectsACardTheLibraryFlags()
    {
        using var doc = JsonDocument.Parse("""{"type":"AdaptiveCard","version":"1.5","body":[{"type":"Bogus"}]}""");

        var (problems, _, _, _) = await AdaptiveCardsLibrary.ParseAsync(doc.RootElement);

        Assert.Contains(problems, p => p.Contains("Bogus", StringComparison.Ordinal));
    }
}
