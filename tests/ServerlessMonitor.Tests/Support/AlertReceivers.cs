using System.Text.Json;
using ServerlessMonitor.Tests.Alerts;

namespace ServerlessMonitor.Tests.Support;

/// <summary>A loopback Event Grid topic and a webhook subscriber, and the settings that point the app at them.</summary>
public sealed class AlertReceivers : IAsyncDisposable
{
    public const string TopicKey = "loopback-topic-key";

    private AlertReceivers(LoopbackReceiver topic, LoopbackReceiver hook)
    {
        Topic = topic;
        Hook = hook;
    }

    public LoopbackReceiver Topic { get; }
    public LoopbackReceiver Hook { get; }

    public static async Task<AlertReceivers> StartAsync(Func<ReceivedRequest, Microsoft.AspNetCore.Http.HttpResponse, Task>? topic = null) =>
        new(await LoopbackReceiver.StartAsync(topic), await LoopbackReceiver.StartAsync());

    public Dictionary<string, string?> Settings() => new()
    {
        ["EventGrid:TopicEndpoint"] = new Uri(Topic.Url, "/api/events").ToString(),
        ["EventGrid:TopicKey"] = TopicKey,
        ["Alerts:Webhooks:0:Url"] = new Uri(Hook.Url, "/hook").ToString(),
    };

    /// <summary>Every CloudEvent the topic accepted (Event Grid batches are JSON arrays).</summary>
    public IReadOnlyList<JsonElement> TopicEvents(string? type = null) => Topic.Requests
        .Where(r => r.Method == "POST")
        .SelectMany(r => JsonDocument.Parse(r.BodyText).RootElement.EnumerateArray().Select(e => e.Clone()))
        .Where(e => type is null || e.GetProperty("type").GetString() == type)
        .ToList();

    public IReadOnlyList<JsonElement> HookEvents(string? type = null) => Hook.Requests
        .Where(r => r.Method == "POST")
        .Select(r => JsonDocument.Parse(r.BodyText).RootElement.Clone())
        .Where(e => type is null || e.GetProperty("type").GetString() == type)
        .ToList();

    public async ValueTask DisposeAsync()
    {
        await Topic.DisposeAsync();
        await Hook.DisposeAsync();
    }
}
