namespace ServerlessMonitor.Alerts;

/// <summary>
/// One dispatch of one outbox row, as far as giving up goes: the failed attempts each sink with a <see cref="IAlertSink.GiveUp"/> has had
/// on this event, and the sinks that gave up on it (dead for that sink only: never sent again, listed, re-drivable). The other sinks of
/// the row go on as before; a sink that gave up no longer holds back the incident's later events.
/// </summary>
internal sealed class SinkGiveUps(OutboxEntry entry, DateTimeOffset now)
{
    private readonly HashSet<string> _dead = new(entry.DeadTo, StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = entry.SinkFailures;

    /// <summary>The sinks that gave up during this dispatch, with why.</summary>
    public List<(string Sink, string Reason)> GivenUp { get; } = [];

    public bool AnyDead => _dead.Count > 0;

    public bool IsDead(string sink) => _dead.Contains(sink);

    public string DeadList => OutboxRows.FormatSinks(_dead);

    /// <summary>True (and the sink gives up) when the event is older than the sink's give-up age: it is not sent again.</summary>
    public bool TooOld(IAlertSink sink)
    {
        if (sink.GiveUp is { } giveUp && now - entry.CreatedAt > giveUp.MaxAge)
        {
            Dead(sink.Name, $"older than {giveUp.MaxAge}");
            return true;
        }
        return false;
    }

    /// <summary>Counts a failed attempt; the sink gives up at its maximum.</summary>
    public void Failed(IAlertSink sink)
    {
        if (sink.GiveUp is not { } giveUp)
        {
            return;
        }
        var failures = _failures.GetValueOrDefault(sink.Name) + 1;
        _failures[sink.Name] = failures;
        if (failures >= giveUp.MaxFailures)
        {
            Dead(sink.Name, $"failed {failures} times");
        }
    }

    /// <summary>The row's properties that carry this state.</summary>
    public (string Name, object? Value)[] Changes =>
        [(OutboxRows.DeadToProperty, DeadList), (OutboxRows.SinkFailuresProperty, OutboxRows.FormatFailures(_failures))];

    private void Dead(string sink, string reason)
    {
        _dead.Add(sink);
        GivenUp.Add((sink, reason));
    }
}
