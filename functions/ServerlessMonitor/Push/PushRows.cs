using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Push;

/// <summary>
/// The rows of push endpoints, in the Endpoints table. In the endpoint's own partition: <c>push-beat</c> (the last
/// beat, written by whichever instance received it), <c>push-watch-{region}</c> (each region's <see cref="PushWatch"/>)
/// and <c>push-token</c> (the SHA-256 of the current admin-created token, to retire it on rotation). In the
/// <c>_push</c> partition, <c>token-{sha256 hex}</c> names the endpoint a token belongs to: a beat finds its
/// endpoint with one point read by hash. The token itself is stored nowhere.
/// </summary>
internal static class PushRows
{
    public const string BeatKey = "push-beat";
    public const string EndpointTokenKey = "push-token";
    public const string TokenPartition = "_push";

    public static string WatchKey(string region) => $"push-watch-{region}";

    public static string TokenKey(string hash) => $"token-{hash}";

    public static TableEntity Beat(string partition, PushBeat b, string? etag) => new(partition, BeatKey, new Dictionary<string, object?>
    {
        ["LastAt"] = b.LastAt,
        ["FinishedAt"] = b.FinishedAt,
        ["Failed"] = b.Failed,
        ["StartedAt"] = b.StartedAt,
        ["Message"] = b.Message,
        ["ExitCode"] = b.ExitCode,
        ["DurationMs"] = b.DurationMs,
    }) { ETag = etag };

    public static PushBeat ToBeat(TableEntity e) => new()
    {
        LastAt = e.GetDate("LastAt") ?? DateTimeOffset.MinValue,
        FinishedAt = e.GetDate("FinishedAt"),
        Failed = e.Get<bool>("Failed"),
        StartedAt = e.GetDate("StartedAt"),
        Message = e.GetString("Message"),
        ExitCode = e.Properties.ContainsKey("ExitCode") && e.Properties["ExitCode"] is not null ? (int)e.GetInt64("ExitCode") : null,
        DurationMs = e.Properties.ContainsKey("DurationMs") && e.Properties["DurationMs"] is not null ? e.GetInt64("DurationMs") : null,
    };

    public static TableEntity Watch(string partition, string region, PushWatch w) =>
        new(partition, WatchKey(region), new Dictionary<string, object?> { ["Since"] = w.Since, ["BlindFrom"] = w.BlindFrom });

    public static PushWatch? ToWatch(TableEntity? e) => e?.GetDate("Since") is { } since ? new PushWatch(since, e.GetDate("BlindFrom")) : null;

    public static TableEntity Token(string hash, string service, string endpoint, DateTimeOffset createdAt) =>
        new(TokenPartition, TokenKey(hash), new Dictionary<string, object?> { ["Service"] = service, ["Endpoint"] = endpoint, ["CreatedAt"] = createdAt });

    public static TableEntity EndpointToken(string partition, string hash, DateTimeOffset createdAt) =>
        new(partition, EndpointTokenKey, new Dictionary<string, object?> { ["Hash"] = hash, ["CreatedAt"] = createdAt });
}
