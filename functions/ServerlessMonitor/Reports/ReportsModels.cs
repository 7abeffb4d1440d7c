namespace ServerlessMonitor.Reports;

/// <summary>Answer to a report: always accepted; counted unless the client already reported in this window.</summary>
public sealed record ReportAcceptedDto(bool Accepted, bool Counted, DateTimeOffset Bucket);

/// <summary>One 5-minute bucket: counts by kind and the usual count of that bucket's time of day.</summary>
public sealed record ReportBucketDto(DateTimeOffset Start, int Total, IReadOnlyDictionary<string, int> Kinds, double Usual);

public sealed record ReportMessageDto(DateTimeOffset At, string Kind, string Message);

public sealed record ReportsDto(
    string Service,
    string Name,
    DateTimeOffset From,
    DateTimeOffset To,
    int BucketMinutes,
    int Total,
    string UsualRule,
    ReportSummary Current,
    IReadOnlyList<ReportBucketDto> Buckets,
    IReadOnlyList<ReportMessageDto> RecentMessages);
