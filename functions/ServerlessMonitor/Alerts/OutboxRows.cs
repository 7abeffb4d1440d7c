using System.Text.Json;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Alerts;

/// <summary>
/// The outbox row layout (DESIGN §5: <c>outbox-{eventId}</c> in the endpoint's partition). The writer of a
/// state change inserts <see cref="Create"/>'s row in the same atomic batch; the dispatcher owns it afterwards.
/// </summary>
public static class OutboxRows
{
    public const string KeyPrefix = "outbox-";

    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";

    public const string EventProperty = "Event";
    public const string TypeProperty = "Type";
    public const string SubjectProperty = "Subject";
    public const string CreatedAtProperty = "CreatedAt";
    public const string AttemptsProperty = "Attempts";
    public const string NextAttemptAtProperty = "NextAttemptAt";
    public const string StateProperty = "State";
    public const string LastErrorProperty = "LastError";
    /// <summary>Comma list of the sinks that accepted the event, so a retry never re-sends to them.</summary>
    public const string DeliveredToProperty = "DeliveredTo";

    /// <summary>The incident the event belongs to ("" for events of no incident): delivery order is kept per incident and sink.</summary>
    public const string IncidentProperty = "Incident";
    public const string DeliveredAtProperty = "DeliveredAt";

    /// <summary>Comma list of the sinks that gave up on the event (<see cref="IAlertSink.GiveUp"/>): never sent again until re-driven.</summary>
    public const string DeadToProperty = "DeadTo";

    /// <summary>Failed attempts per sink, <c>name=count,…</c> (only sinks with a <see cref="IAlertSink.GiveUp"/> are counted).</summary>
    public const string SinkFailuresProperty = "SinkFailures";
    public const string NoteProperty = "Note";

    /// <summary>A pending outbox row for <paramref name="e"/>; insert it in the batch that records the transition.</summary>
    public static TableEntity Create(string partition, AlertEvent e, DateTimeOffset now) =>
        new(partition, MonitorTables.OutboxKey(e.Id), new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [EventProperty] = Serialize(e),
            [TypeProperty] = e.Type,
            [SubjectProperty] = e.Subject,
            [CreatedAtProperty] = now,
            [AttemptsProperty] = 0,
            [NextAttemptAtProperty] = now,
            [StateProperty] = Pending,
            [LastErrorProperty] = null,
            [DeliveredToProperty] = "",
            [IncidentProperty] = e.Data.IncidentId ?? "",
        });

    public static string Serialize(AlertEvent e) => JsonSerializer.Serialize(e, AlertJsonContext.Default.AlertEvent);

    /// <summary>Null when the stored JSON is not an alert (then the row can only be dead-lettered).</summary>
    public static AlertEvent? TryDeserialize(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(json, AlertJsonContext.Default.AlertEvent);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static RowKeyRange Range => RowKeyRange.Prefix(KeyPrefix);

    /// <summary>A comma list of sink names (<see cref="DeliveredToProperty"/>, <see cref="DeadToProperty"/>).</summary>
    public static IReadOnlySet<string> ParseSinks(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    public static string FormatSinks(IEnumerable<string> sinks) => string.Join(',', sinks.Order(StringComparer.Ordinal));

    /// <summary><see cref="SinkFailuresProperty"/>: <c>name=count,…</c>; a malformed part counts as none.</summary>
    public static Dictionary<string, int> ParseFailures(string? list)
    {
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.LastIndexOf('=');
            if (eq > 0 && int.TryParse(part.AsSpan(eq + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
                    out var count))
            {
                failures[part[..eq]] = count;
            }
        }
        return failures;
    }

    public static string FormatFailures(IReadOnlyDictionary<string, int> failures) =>
        string.Join(',', failures.Where(f => f.Value > 0).OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => f.Key + "=" + f.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>An outbox row as the dispatcher sees it.</summary>
internal sealed record OutboxEntry(TableEntity Row)
{
    public string State => Row.GetString(OutboxRows.StateProperty) ?? OutboxRows.Pending;

    public DateTimeOffset CreatedAt => Row.GetDate(OutboxRows.CreatedAtProperty) ?? Row.Timestamp ?? DateTimeOffset.MinValue;

    public DateTimeOffset NextAttemptAt => Row.GetDate(OutboxRows.NextAttemptAtProperty) ?? CreatedAt;

    public int Attempts => (int)Row.GetInt64(OutboxRows.AttemptsProperty);

    public string? Json => Row.GetString(OutboxRows.EventProperty);

    public IReadOnlySet<string> DeliveredTo => OutboxRows.ParseSinks(Row.GetString(OutboxRows.DeliveredToProperty));

    public IReadOnlySet<string> DeadTo => OutboxRows.ParseSinks(Row.GetString(OutboxRows.DeadToProperty));

    /// <summary>The sinks that are done with the event: accepted it, or gave up on it.</summary>
    public IReadOnlySet<string> Finished => DeliveredTo.Union(DeadTo).ToHashSet(StringComparer.Ordinal);

    public Dictionary<string, int> SinkFailures => OutboxRows.ParseFailures(Row.GetString(OutboxRows.SinkFailuresProperty));

    public string Incident => Row.GetString(OutboxRows.IncidentProperty) ?? "";

    public bool IsDue(DateTimeOffset now) => State == OutboxRows.Pending && NextAttemptAt <= now;

    /// <summary>The same row with some properties changed, guarded by the ETag it was read with.</summary>
    public TableOperation Update(params (string Name, object? Value)[] changes)
    {
        var props = new Dictionary<string, object?>(Row.Properties, StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            props[name] = value;
        }
        return TableOperation.Update(Row with { Properties = props });
    }
}
