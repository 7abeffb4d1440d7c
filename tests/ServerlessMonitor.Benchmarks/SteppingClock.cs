namespace ServerlessMonitor.Benchmarks;

/// <summary>"Now" moves one interval per cycle so every endpoint is due each cycle; timers stay real.</summary>
internal sealed class SteppingClock : TimeProvider
{
    private long _ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
