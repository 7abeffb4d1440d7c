namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// The rig's fake clock. "Now" moves one interval per cycle (<see cref="Advance"/>); timers run on a virtual
/// timeline of their own that only moves when <see cref="TakeDue"/> fires everything pending, which the
/// <see cref="HangCoordinator"/> does once every probe in flight is hanging. A probe timeout then costs no
/// real time, and a probe that answers is never cut short. Elapsed times (response times) stay real.
/// </summary>
internal sealed class SignalClock(DateTimeOffset start) : TimeProvider
{
    private readonly object gate = new();
    private readonly HashSet<VirtualTimer> pending = [];
    private long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Removes every pending timer and returns the callbacks to run (outside any lock).</summary>
    public IReadOnlyList<Action> TakeDue()
    {
        lock (gate)
        {
            var due = pending.Select(t => (Action)t.Fire).ToList();
            pending.Clear();
            return due;
        }
    }

    private void Schedule(VirtualTimer timer, bool on)
    {
        lock (gate)
        {
            if (on)
            {
                pending.Add(timer);
            }
            else
            {
                pending.Remove(timer);
            }
        }
    }

    private sealed class VirtualTimer(SignalClock clock, TimerCallback callback, object? state) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == TimeSpan.Zero)
            {
                clock.Schedule(this, on: false);
                ThreadPool.QueueUserWorkItem(_ => callback(state));
                return true;
            }
            // One-shot only (what CancellationTokenSource asks for); a period is not needed by anything probed.
            clock.Schedule(this, on: dueTime != Timeout.InfiniteTimeSpan);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Schedule(this, on: false);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
