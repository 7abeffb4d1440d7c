namespace ServerlessMonitor.Alerts;

/// <summary>
/// Events whose moment comes by the clock, not by a probe (planned maintenance starting, …). The AlertsTimer runs each source
/// before its sweep, on every instance: a source writes each event once by its stable id, however many instances run it.
/// </summary>
public interface IClockEvents
{
    /// <summary>Writes the events that are due into the outbox; returns a line for the timer's log, or null when nothing was due.</summary>
    Task<string?> WriteDueAsync(CancellationToken ct);
}
