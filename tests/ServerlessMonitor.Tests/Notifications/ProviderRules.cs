using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>
/// What each real provider checks before it accepts a message — URL shape, credentials, JSON shape, the documented
/// limits — and how it answers (status and body), so the senders are tested against the rules, not against themselves.
/// </summary>
public static partial class ProviderRules
{
    public const string SlackPath = "/services/T0LAB0001/B0LAB0002/sLaCkSeCrEt0123456789abc";
    public const string DiscordPath = "/api/webhooks/123456789012345678/dIsCoRdSeCrEtToKeN-abc_123";
    public const string TeamsPath = "/workflows/0a1b2c3d4e5f/triggers/manual/paths/invoke?api-version=1&sig=tEaMsSiGnAtUrE0123";
    public const string TelegramToken = "123456:TeLeGrAmSeCrEtToKeN_abcdefghijk";
    public const string TelegramChat = "-1001234567890";
    public const string NtfyToken = "tk_ntfysecrettoken0123456789abc";
    public const string PagerDutyKey = "pdroutingkeysecret0123456789abcd";
    public const string OpsgenieKey = "0a1b2c3d-opsg-enie-secr-et0123456789";

    /// <summary>Every secret above: none may appear in a log line or API answer.</summary>
    public static readonly string[] Secrets = ["sLaCkSeCrEt0123456789abc", "dIsCoRdSeCrEtToKeN-abc_123", "tEaMsSiGnAtUrE0123", TelegramToken, NtfyToken,
        PagerDutyKey, OpsgenieKey];

    public static FakeAnswer Slack(Alerts.ReceivedRequest r)
    {
        if (r.Method != "POST" || r.PathAndQuery != SlackPath)
        {
            return new(404, "no_service");
        }
        if (!Json(r, out var body) || !body.TryGetProperty("text", out var text) || text.GetString() is not { Length: > 0 })
        {
            return new(400, "invalid_payload");
        }
        var blocks = body.TryGetProperty("blocks", out var b) ? b.EnumerateArray().ToList() : [];
        if (blocks.Count > 50)
        {
            return new(400, "invalid_blocks");
        }
        foreach (var block in blocks)
        {
            var type = block.GetProperty("type").GetString();
            var ok = type switch
            {
                "header" => block.GetProperty("text").GetProperty("type").GetString() == "plain_text" && Length(block.GetProperty("text"), "text") <= 150,
                "section" => (!block.TryGetProperty("text", out var t) || Length(t, "text") <= 3000) &&
                    (!block.TryGetProperty("fields", out var f) || (f.GetArrayLength() <= 10 && f.EnumerateArray().All(x => Length(x, "text") <= 2000))),
                "context" => block.GetProperty("elements").GetArrayLength() <= 10,
                _ => false,
            };
            if (!ok)
            {
                return new(400, "invalid_blocks");
            }
        }
        return new(200, "ok");
    }

    /// <summary>A Teams Workflows webhook: a message with one Adaptive Card attachment that the Adaptive Cards library parses cleanly.</summary>
    public static FakeAnswer Teams(Alerts.ReceivedRequest r)
    {
        if (r.Method != "POST" || r.PathAndQuery != TeamsPath)
        {
            return new(401, """{"error":{"code":"DirectApiAuthorizationRequired","message":"The request must be authenticated"}}""");
        }
        var invalid = new FakeAnswer(400, """{"error":{"code":"InvalidRequestContent","message":"The request content is not valid"}}""");
        if (!Json(r, out var body) || body.GetProperty("type").GetString() != "message" ||
            body.GetProperty("attachments") is not { ValueKind: JsonValueKind.Array } attachments || attachments.GetArrayLength() != 1 ||
            attachments[0].GetProperty("contentType").GetString() != "application/vnd.microsoft.card.adaptive" || r.Body.Length > 28 * 1024)
        {
            return invalid;
        }
        var card = attachments[0].GetProperty("content");
        var (problems, count, _, version) = AdaptiveCardsLibrary.ParseAsync(card).GetAwaiter().GetResult();
        return problems.Count == 0 && version == "1.5" && card.GetProperty("type").GetString() == "AdaptiveCard" &&
            count == card.GetProperty("body").GetArrayLength()
            ? new(202) : new(400, "{\"error\":{\"code\":\"InvalidCard\",\"message\":" + JsonSerializer.Serialize(string.Join("; ", problems)) + "}}");
    }

    public static FakeAnswer Discord(Alerts.ReceivedRequest r)
    {
        if (r.Method != "POST" || r.PathAndQuery != DiscordPath)
        {
            return new(401, """{"message": "Invalid Webhook Token", "code": 50027}""");
        }
        var invalid = new FakeAnswer(400, """{"message": "Invalid Form Body", "code": 50035}""");
        if (!Json(r, out var body) || Length(body, "content") > 2000)
        {
            return invalid;
        }
        foreach (var embed in body.TryGetProperty("embeds", out var e) ? e.EnumerateArray() : default)
        {
            var fields = embed.TryGetProperty("fields", out var f) ? f.EnumerateArray().ToList() : [];
            var total = Length(embed, "title") + Length(embed, "description") + fields.Sum(x => Length(x, "name") + Length(x, "value"));
            if (Length(embed, "title") > 256 || Length(embed, "description") > 4096 || fields.Count > 25 || total > 6000 ||
                fields.Any(x => Length(x, "name") > 256 || Length(x, "value") > 1024))
            {
                return invalid;
            }
        }
        return new(204);
    }

    public static FakeAnswer Telegram(Alerts.ReceivedRequest r)
    {
        if (r.PathAndQuery != $"/bot{TelegramToken}/sendMessage")
        {
            return new(401, """{"ok":false,"error_code":401,"description":"Unauthorized"}""");
        }
        if (!Json(r, out var body) || body.GetProperty("chat_id").GetString() != TelegramChat)
        {
            return new(400, """{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}""");
        }
        var text = body.GetProperty("text").GetString() ?? "";
        if (body.GetProperty("parse_mode").GetString() != "HTML" || TelegramVisible(text) is not { } visible)
        {
            return new(400, """{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities"}""");
        }
        if (visible.Length is 0 or > 4096)
        {
            return new(400, """{"ok":false,"error_code":400,"description":"Bad Request: message is too long"}""");
        }
        return new(200, """{"ok":true,"result":{"message_id":1}}""");
    }

    /// <summary>The text Telegram shows for HTML mode, or null when it would not parse (unknown tag or entity, bare &lt; or &amp;).</summary>
    public static string? TelegramVisible(string html)
    {
        var stripped = TelegramTag().Replace(html, "");
        if (stripped.Contains('<') || stripped.Contains('>'))
        {
            return null;
        }
        var bad = Regex.Matches(stripped, "&[^;]*;?").Any(m => m.Value is not ("&lt;" or "&gt;" or "&amp;" or "&quot;") && !Regex.IsMatch(m.Value, "^&#[0-9]+;$"));
        return bad ? null : System.Net.WebUtility.HtmlDecode(stripped);
    }

    public static FakeAnswer Ntfy(Alerts.ReceivedRequest r, string? token)
    {
        if (!NtfyTopic().IsMatch(r.PathAndQuery))
        {
            return new(404, """{"code":40401,"http":404,"error":"page not found"}""");
        }
        if (token is not null && r.Header("Authorization") != $"Bearer {token}")
        {
            return new(403, """{"code":40301,"http":403,"error":"forbidden"}""");
        }
        if (r.Body.Length > 4096 || r.Header("Priority") is not ("1" or "2" or "3" or "4" or "5") || r.Header("Title") is null ||
            r.Header("Title")!.Any(c => c > '~'))
        {
            return new(400, """{"code":40007,"http":400,"error":"invalid request"}""");
        }
        return new(200, $$"""{"id":"abc","event":"message","topic":"{{r.PathAndQuery[1..]}}"}""");
    }

    public static FakeAnswer PagerDuty(Alerts.ReceivedRequest r)
    {
        if (r.PathAndQuery != "/v2/enqueue")
        {
            return new(404, "");
        }
        var invalid = new FakeAnswer(400, """{"status":"invalid event","message":"Event object is invalid","errors":["invalid"]}""");
        if (!Json(r, out var body) || body.GetProperty("routing_key").GetString() != PagerDutyKey || Length(body, "dedup_key") is 0 or > 255)
        {
            return invalid;
        }
        var action = body.GetProperty("event_action").GetString();
        if (action == "trigger")
        {
            var payload = body.GetProperty("payload");
            if (Length(payload, "summary") is 0 or > 1024 || Length(payload, "source") == 0 ||
                payload.GetProperty("severity").GetString() is not ("critical" or "error" or "warning" or "info"))
            {
                return invalid;
            }
        }
        else if (action is not ("resolve" or "acknowledge"))
        {
            return invalid;
        }
        return new(202, $$"""{"status":"success","message":"Event processed","dedup_key":"{{body.GetProperty("dedup_key").GetString()}}"}""");
    }

    public static FakeAnswer Opsgenie(Alerts.ReceivedRequest r)
    {
        if (r.Header("Authorization") != $"GenieKey {OpsgenieKey}")
        {
            return new(401, """{"message":"Could not authenticate","took":0.0,"requestId":"x"}""");
        }
        var accepted = new FakeAnswer(202, """{"result":"Request will be processed","took":0.1,"requestId":"r1"}""");
        if (OpsgenieClose().IsMatch(r.PathAndQuery))
        {
            return accepted;
        }
        if (r.PathAndQuery != "/v2/alerts" || !Json(r, out var body) || Length(body, "message") is 0 or > 130 || Length(body, "alias") > 512 ||
            Length(body, "description") > 15000 || body.GetProperty("priority").GetString() is not ("P1" or "P2" or "P3" or "P4" or "P5"))
        {
            return new(422, """{"message":"Request body is not processable","took":0.0,"requestId":"x"}""");
        }
        return accepted;
    }

    public static int Length(JsonElement e, string property) =>
        e.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()!.Length : 0;

    public static bool Json(Alerts.ReceivedRequest r, out JsonElement body)
    {
        body = default;
        if (r.Header("Content-Type")?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return false;
        }
        try
        {
            body = JsonDocument.Parse(r.Body).RootElement.Clone();
            return body.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex("""</?b>|<a href="[^"<>]*">|</a>""")]
    private static partial Regex TelegramTag();

    [GeneratedRegex("^/[-_A-Za-z0-9]{1,64}$")]
    private static partial Regex NtfyTopic();

    [GeneratedRegex("^/v2/alerts/[^/?]{1,512}/close\\?identifierType=alias$")]
    private static partial Regex OpsgenieClose();
}
