using System.Globalization;

namespace ServerlessMonitor.Storage;

/// <summary>Table names and the row-key layout of DESIGN §5, in one place.</summary>
public sealed class MonitorTables(string prefix)
{
    public string Endpoints { get; } = prefix + "Endpoints";
    public string Status { get; } = prefix + "Status";
    public string Reports { get; } = prefix + "Reports";

    /// <summary>Public subscriptions and their indexes (Subscriptions/SubscriptionRows.cs).</summary>
    public string Subscriptions { get; } = prefix + "Subscriptions";

    /// <summary>Per-subscriber delivery rows of the service events being fanned out (Subscriptions/DeliveryRows.cs).</summary>
    public string SubscriberDeliveries { get; } = prefix + "SubscriberDeliveries";

    public IEnumerable<string> All => [Endpoints, Status, Reports, Subscriptions, SubscriberDeliveries];

    public const string StatusPartition = "status";

    /// <summary>
    /// The Endpoints-table partition of the probing locations (monitor self-check): one <c>location-{region}</c>
    /// row per region and the outbox rows of its Monitor.* events, so a verdict change and its event are one
    /// batch. The underscore keeps it apart from service ids (<c>[a-z0-9-]</c>) and endpoint partitions.
    /// </summary>
    public const string MonitorPartition = "_monitor";

    /// <summary>
    /// The Endpoints-table partition indexing the partitions that may hold undelivered outbox rows (row key = that
    /// partition), so a sweep with nothing to send reads one page instead of every partition.
    /// </summary>
    public const string OutboxIndexPartition = "_outbox";

    /// <summary>
    /// The Status-table partition of what instances sharing a store tell each other about their read models; its
    /// <see cref="RareMarkerKey"/> row carries the version of the rarely changing inputs (ReadModel/RareMarker.cs).
    /// </summary>
    public const string ReadModelPartition = "_readmodel";

    public const string RareMarkerKey = "rare";

    public static string EndpointPartition(string service, string endpoint) => $"{service}.{endpoint}";

    /// <summary>Inverted ticks make the newest row sort first within a partition.</summary>
    public static string InvertedTicks(DateTimeOffset t) =>
        (DateTimeOffset.MaxValue.UtcTicks - t.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    public static DateTimeOffset FromInvertedTicks(string inverted) =>
        new(DateTimeOffset.MaxValue.UtcTicks - long.Parse(inverted, CultureInfo.InvariantCulture), TimeSpan.Zero);

    public static string ResultKey(DateTimeOffset checkedAt, string region) => $"result-{InvertedTicks(checkedAt)}-{region}";

    /// <summary>
    /// A result row's key split into its inverted ticks and region; false for any other key, or one that would not be
    /// built again exactly as it is (so a row stored by its parts reads back under the same key).
    /// </summary>
    public static bool TryParseResultKey(string rowKey, out long invertedTicks, out string region)
    {
        invertedTicks = 0;
        region = "";
        const int Digits = 19, Start = 7; // "result-"
        if (rowKey.Length < Start + Digits + 2 || !rowKey.StartsWith("result-", StringComparison.Ordinal) || rowKey[Start + Digits] != '-'
            || !long.TryParse(rowKey.AsSpan(Start, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out invertedTicks))
        {
            return false;
        }
        region = rowKey[(Start + Digits + 1)..];
        return ResultKeyOf(invertedTicks, region) == rowKey;
    }

    /// <summary>The result row key of <see cref="TryParseResultKey"/>'s parts.</summary>
    public static string ResultKeyOf(long invertedTicks, string region) =>
        $"result-{invertedTicks.ToString("D19", CultureInfo.InvariantCulture)}-{region}";

    /// <summary>When a result row's probe ran, read back from its row key.</summary>
    public static DateTimeOffset CheckedAtOf(string resultKey) => FromInvertedTicks(resultKey.Substring("result-".Length, 19));

    /// <summary>All result rows checked strictly before <paramref name="t"/> (older rows sort after newer ones).</summary>
    public static RowKeyRange ResultsOlderThan(DateTimeOffset t) => new($"result-{InvertedTicks(t)}.", "result.");

    /// <summary>Result rows checked within [from, to).</summary>
    public static RowKeyRange ResultsBetween(DateTimeOffset from, DateTimeOffset to) =>
        new($"result-{InvertedTicks(to)}.", $"result-{InvertedTicks(from)}.");

    public static string StateKey(string region) => $"state-{region}";

    public const string GlobalStateKey = "state-global";

    public static string IncidentKey(DateTimeOffset start) => $"incident-{InvertedTicks(start)}";

    public static string OutboxKey(string eventId) => $"outbox-{eventId}";
}
