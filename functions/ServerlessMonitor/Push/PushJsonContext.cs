using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Push;

/// <summary>A beat's answer: Uptime Kuma's own, so scripts that check it keep working.</summary>
public sealed record BeatAnswer(bool Ok);

/// <summary>The admin answer that carries a new token — the only time it is ever shown.</summary>
public sealed record PushTokenDto(string Service, string Endpoint, string Token, string PushPath, string Expects);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BeatAnswer))]
[JsonSerializable(typeof(PushTokenDto))]
internal sealed partial class PushJsonContext : JsonSerializerContext;
