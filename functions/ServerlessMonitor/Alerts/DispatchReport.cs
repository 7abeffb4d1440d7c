namespace ServerlessMonitor.Alerts;

/// <summary>What one dispatch pass did, for the timer's invocation log.</summary>
public sealed record DispatchReport(int Delivered, int Retrying, int DeadLettered)
{
    /// <summary>Partitions whose outbox the store did not let us read or update this time; their alerts wait for the next dispatch.</summary>
    public int Unreachable { get; init; }

    /// <summary>Events that wait for an earlier event of their partition to reach a sink first.</summary>
    public int Held { get; init; }

    public override string ToString() => $"alerts: {Delivered} delivered, {Retrying} retrying, {DeadLettered} dead-lettered"
        + (Held > 0 ? $", {Held} held behind an earlier event" : "")
        + (Unreachable > 0 ? $", {Unreachable} outbox partition(s) unreachable" : "");
}

/// <summary>Thread-safe tally; partitions are dispatched in parallel.</summary>
internal sealed class DispatchCounter
{
    private int _delivered;
    private int _retrying;
    private int _dead;
    private int _unreachable;
    private int _held;

    public void Delivered() => Interlocked.Increment(ref _delivered);

    public void Retrying() => Interlocked.Increment(ref _retrying);

    public void Dead() => Interlocked.Increment(ref _dead);

    public void Unreachable() => Interlocked.Increment(ref _unreachable);

    public void Held() => Interlocked.Increment(ref _held);

    public DispatchReport ToReport() => new(Volatile.Read(ref _delivered), Volatile.Read(ref _retrying), Volatile.Read(ref _dead))
    {
        Unreachable = Volatile.Read(ref _unreachable),
        Held = Volatile.Read(ref _held),
    };
}
