using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Notifications;

/// <summary>One channel as the admin API shows it: never a secret (the display names provider and host only).</summary>
public sealed record ChannelStatusDto(string Name, string Type, string Target, DateTimeOffset? LastSuccess, DateTimeOffset? LastFailure,
    string? LastError, int Pending, int Dead);

/// <summary>A delivery a channel gave up on (dead-lettered, or failed Notifications:MaxAttempts times): re-drivable.</summary>
public sealed record DeadDeliveryDto(string Channel, string Partition, string Id, string Type, string Subject, int Attempts, string? LastError,
    string Redrive);

public sealed record NotificationsDto(IReadOnlyList<ChannelStatusDto> Channels, IReadOnlyList<DeadDeliveryDto> Dead);

public sealed record ChannelTestDto(string Channel, bool Delivered, string? Error);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NotificationsDto))]
[JsonSerializable(typeof(ChannelTestDto))]
internal sealed partial class NotificationsAdminJsonContext : JsonSerializerContext;
