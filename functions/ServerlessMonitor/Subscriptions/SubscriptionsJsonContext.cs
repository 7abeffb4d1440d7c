using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Subscriptions;

/// <summary>The answer to an unsubscribe: the same whether or not the id existed, so it tells nobody what is subscribed.</summary>
public sealed record UnsubscribedDto(bool Unsubscribed, string Message);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UnsubscribedDto))]
internal sealed partial class SubscriptionsJsonContext : JsonSerializerContext;
