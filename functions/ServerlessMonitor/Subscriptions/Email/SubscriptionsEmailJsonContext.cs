using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Subscriptions.Email;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EmailAcceptedDto))]
internal sealed partial class SubscriptionsEmailJsonContext : JsonSerializerContext;
