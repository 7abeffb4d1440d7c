using System.Globalization;
using System.Text.Json;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Reports;

/// <summary>
/// The Reports table layout (DESIGN §5): partition <c>{service}</c>; bucket rows keyed by the
/// <c>yyyyMMddHHmm</c> of their 5-minute start. Bookkeeping rows in the same partition start with a
/// letter, so they sort after every bucket key and a digit-bounded range never reads them:
/// <c>client-{window}-{hash}</c> (one counted report per client and 15-minute window) and
/// <c>surge-{window}</c> (a surge seen in that window).
/// </summary>
public static class ReportRows
{
    public static readonly TimeSpan Bucket = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public const string TotalProperty = "Total";
    public const string MessagesProperty = "Messages";
    public const string BucketStartProperty = "BucketStart";
    /// <summary>Comma-separated network tags of the bucket's counted reports (daily HMACs, never addresses).</summary>
    public const string NetworksProperty = "Networks";

    /// <summary>Tags kept per bucket: the surge rule only needs to know whether a few distinct networks reported.</summary>
    public const int MaxNetworksPerBucket = 50;

    /// <summary>The per-install salt lives outside every service partition ('_' is not allowed in service ids).</summary>
    public const string InstallPartition = "_install";
    public const string SaltKey = "client-salt";

    public static DateTimeOffset Floor(DateTimeOffset t, TimeSpan step)
    {
        var utc = t.ToUniversalTime();
        return new DateTimeOffset(utc.UtcTicks - utc.UtcTicks % step.Ticks, TimeSpan.Zero);
    }

    public static string Key(DateTimeOffset t) => Floor(t, Bucket).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseKey(string rowKey) =>
        rowKey.Length == 12 && DateTimeOffset.TryParseExact(rowKey, "yyyyMMddHHmm", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>
    /// Bucket rows from the one <paramref name="from"/> falls in (rounded down) up to the one <paramref name="to"/> falls in,
    /// included when <paramref name="to"/> is unaligned (rounded up): a window that ends now counts the bucket that is filling.
    /// </summary>
    public static RowKeyRange Buckets(DateTimeOffset from, DateTimeOffset to) =>
        new(Key(from), Key(Floor(to, Bucket) == to ? to : Floor(to, Bucket) + Bucket));

    public static string ClientKey(DateTimeOffset windowStart, string clientHash) => $"client-{WindowKey(windowStart)}-{clientHash}";

    /// <summary>Markers of windows that ended before <paramref name="windowStart"/>: nothing reads them any more.</summary>
    public static RowKeyRange ClientsBefore(DateTimeOffset windowStart) => new("client-", $"client-{WindowKey(windowStart)}");

    public static string SurgeKey(DateTimeOffset windowStart) => $"surge-{WindowKey(windowStart)}";

    public static RowKeyRange SurgesBefore(DateTimeOffset windowStart) => new("surge-", $"surge-{WindowKey(windowStart)}");

    private static string WindowKey(DateTimeOffset t) => Floor(t, Window).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    /// <summary>The column names that hold the counts and network tags (for narrow queries).</summary>
    public static readonly IReadOnlyList<string> CountColumns = [TotalProperty, NetworksProperty, .. ReportKinds.All.Select(ReportKinds.Property)];

    /// <summary>The bucket row with one more report of <paramref name="kind"/>; keeps the read ETag so the write is guarded.</summary>
    public static TableEntity Add(TableEntity? row, string service, DateTimeOffset bucketStart, string kind, string? message,
        DateTimeOffset now, int maxMessages, string? network = null)
    {
        var props = row is null
            ? new Dictionary<string, object?>(StringComparer.Ordinal) { [BucketStartProperty] = bucketStart }
            : new Dictionary<string, object?>(row.Properties, StringComparer.Ordinal);
        props[TotalProperty] = (row?.GetInt64(TotalProperty) ?? 0) + 1;
        var property = ReportKinds.Property(kind);
        props[property] = (row?.GetInt64(property) ?? 0) + 1;
        if (message is not null && maxMessages > 0)
        {
            var messages = ReadMessages(row);
            messages.Add(new StoredMessage(now, kind, message));
            props[MessagesProperty] = JsonSerializer.Serialize(messages.TakeLast(maxMessages).ToList(), ReportsJsonContext.Default.ListStoredMessage);
        }
        var networks = Networks(row);
        if (network is not null && networks.Count < MaxNetworksPerBucket && !networks.Contains(network))
        {
            networks.Add(network);
            props[NetworksProperty] = string.Join(',', networks);
        }
        return new TableEntity(service, Key(bucketStart), props) { ETag = row?.ETag };
    }

    public static List<string> Networks(TableEntity? row) =>
        [.. (row?.GetString(NetworksProperty) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)];

    public static List<StoredMessage> ReadMessages(TableEntity? row)
    {
        if (row?.GetString(MessagesProperty) is not { Length: > 0 } json)
        {
            return [];
        }
        try
        {
            return JsonSerializer.Deserialize(json, ReportsJsonContext.Default.ListStoredMessage) ?? [];
        }
        catch (JsonException)
        {
            // A damaged message list costs the messages, never the counts.
            return [];
        }
    }

    public static ReportBucket ToBucket(TableEntity row, DateTimeOffset start) => new(start, (int)row.GetInt64(TotalProperty),
        ReportKinds.All.ToDictionary(k => k, k => (int)row.GetInt64(ReportKinds.Property(k)), StringComparer.Ordinal), Networks(row));
}

/// <summary>The counts of one 5-minute bucket, and the tags of the networks its reports came from.</summary>
public sealed record ReportBucket(DateTimeOffset Start, int Total, IReadOnlyDictionary<string, int> Kinds, IReadOnlyList<string> Networks);

/// <summary>A kept message: when, which kind, the cleaned text. Nothing about who sent it.</summary>
public sealed record StoredMessage(DateTimeOffset At, string Kind, string Text);
