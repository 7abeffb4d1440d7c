using System.Text.Json;

namespace ServerlessMonitor.Subscriptions;

/// <summary>A webhook subscribe request as validated: the service (or "*") and the receiver's URL.</summary>
internal sealed record WebhookSubscribeInput(string Service, Uri Url)
{
    public const int MaxBodyBytes = 4096;

    /// <summary>Parses <c>{"service":"…","url":"https://…"}</c>; the problem and the field it is about otherwise.</summary>
    public static (WebhookSubscribeInput? Input, string? Problem, string? Field) Parse(ReadOnlySpan<byte> body)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(body.ToArray());
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return (null, "The body is not JSON; send {\"service\":\"<id or *>\",\"url\":\"https://…\"}.", "body");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "The body must be a JSON object: {\"service\":\"<id or *>\",\"url\":\"https://…\"}.", "body");
        }
        if (Text(root, "service") is not { Length: > 0 } service)
        {
            return (null, "service is required: a service id, or * for every service.", "service");
        }
        var (url, problem) = WebhookUrl.Parse(Text(root, "url"));
        return url is null ? (null, problem, "url") : (new WebhookSubscribeInput(service, url), null, null);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
