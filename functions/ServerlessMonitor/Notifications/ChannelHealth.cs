using System.Collections.Concurrent;

namespace ServerlessMonitor.Notifications;

/// <summary>What one channel's last deliveries did, as this instance saw them (the admin API shows it).</summary>
public sealed record ChannelHealthEntry(DateTimeOffset? LastSuccess, DateTimeOffset? LastFailure, string? LastError);

/// <summary>Per-channel last success / failure with the provider's answer (secrets already scrubbed by the senders).</summary>
public sealed class ChannelHealth
{
    private readonly ConcurrentDictionary<string, ChannelHealthEntry> _entries = new(StringComparer.OrdinalIgnoreCase);

    public ChannelHealthEntry Get(string channel) => _entries.GetValueOrDefault(channel, new ChannelHealthEntry(null, null, null));

    public void Succeeded(string channel, DateTimeOffset at) =>
        _entries.AddOrUpdate(channel, _ => new(at, null, null), (_, e) => e with { LastSuccess = at });

    public void Failed(string channel, DateTimeOffset at, string error) =>
        _entries.AddOrUpdate(channel, _ => new(null, at, error), (_, e) => e with { LastFailure = at, LastError = error });
}
