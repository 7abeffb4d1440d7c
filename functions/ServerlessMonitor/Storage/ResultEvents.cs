namespace ServerlessMonitor.Storage;

/// <summary>
/// Which result rows are events (kept Monitor:EventRetention, and stored in full by SQLite): a check that failed, or
/// one that changed the endpoint's status. The others are steady results, kept Monitor:RawRetention and stored packed.
/// Here rather than in Status so that the storage backends can tell them apart without depending on the features.
/// </summary>
public static class ResultEvents
{
    /// <summary>Marks a result that changed the endpoint's status.</summary>
    public const string ChangedProperty = "Changed";

    /// <summary>The outcome of a result row, as the recorder writes it.</summary>
    public const string OutcomeProperty = "Outcome";

    /// <summary>
    /// Rows written before the Changed mark existed count by their outcome alone. A null mark is no mark (stores drop
    /// null properties, so a row about to be written reads like the stored one).
    /// </summary>
    public static bool IsEvent(TableEntity result) =>
        result.GetString(OutcomeProperty) is not "up" || result.Properties.TryGetValue(ChangedProperty, out var changed) && changed is not null;
}
