namespace ServerlessMonitor.Tests.Support;

/// <summary>
/// A clock the test moves by hand. Only "now" is faked: timers and delays (probe timeouts, retry
/// delays) still run on real time, so network code behaves normally.
/// </summary>
/// <remarks>
/// Everything dated in a test (the app under test, the outage lab's certificate, fixtures) derives from
/// one clock starting at <see cref="Epoch"/>, never from the machine's clock: a pinned date that meets a
/// real-clock artefact passes until the calendar moves on.
/// </remarks>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>Where every test clock starts unless a test says otherwise (a Saturday, 12:00 UTC).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private long _ticks = start.UtcTicks;

    public ManualClock() : this(Epoch)
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
