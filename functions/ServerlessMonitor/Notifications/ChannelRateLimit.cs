namespace ServerlessMonitor.Notifications;

/// <summary>At most N sends in any minute for one channel, by the injected clock; thread-safe.</summary>
public sealed class ChannelRateLimit(int perMinute, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Queue<DateTimeOffset> _sent = new();

    /// <summary>Null when a send may go now (and is counted); otherwise how long to wait.</summary>
    public TimeSpan? TryTake()
    {
        var now = time.GetUtcNow();
        lock (_sent)
        {
            while (_sent.Count > 0 && now - _sent.Peek() >= Window)
            {
                _sent.Dequeue();
            }
            if (_sent.Count >= perMinute)
            {
                return _sent.Peek() + Window - now;
            }
            _sent.Enqueue(now);
            return null;
        }
    }
}
