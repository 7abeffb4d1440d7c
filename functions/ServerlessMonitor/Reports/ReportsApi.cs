using System.Buffers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Reports;

/// <summary>"Ask other users": POST a problem report, GET report counts against the usual level (DESIGN §6).</summary>
public static class ReportsApi
{
    public const int MaxHours = 168;

    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new("PostReport", "POST", "/api/services/{service}/reports", PostReport)
        {
            Tag = "Reports", Filters = [typeof(ReportsRateLimitFilter)], CorsPolicy = ReportRequestRules.CorsPolicy, Summary = "Report a problem",
            RequestBody = typeof(ReportInput),
            Problems = [400, 403, 404, 413, 415, 429, 503], Example = """{"accepted":true,"counted":true,"bucket":"2026-11-21T14:05:00+00:00"}""",
            Description = "A user reports a problem with a service (kind and an optional message of at most 500 characters) as application/json (else 415). "
                + "Refused (403) from a foreign Origin unless configured in Reports:AllowedOrigins. Rate-limited; 202.",
        },
        new("GetReports", "GET", "/api/services/{service}/reports", GetReports)
        {
            Tag = "Reports", Summary = "User reports", Problems = [400, 404],
            Description = "Report counts per 5-minute bucket against the usual level for that time of day, and whether they surge (which also needs several distinct networks).",
        },
    ];

    private static async Task<Results<Accepted<ReportAcceptedDto>, ProblemHttpResult>> PostReport(string service, HttpContext http,
        CatalogProvider catalog, ClientIdentity clients, ReportRecorder recorder, ReportReader reader, SurgeAlerts surges,
        IOptions<ReportsOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (catalog.Current.FindService(service) is not { } definition)
        {
            return ApiProblems.UnknownService(service);
        }
        if (!ReportRequestRules.IsOriginAllowed(http.Request, options.Value.AllowedOrigins))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Reports from other sites are refused",
                detail: "This origin may not post reports. Operators can allow a partner site with Reports:AllowedOrigins.",
                extensions: Field("Origin", "header"));
        }
        if (!ReportRequestRules.IsJson(http.Request))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Reports are JSON",
                detail: "Send the report as Content-Type: application/json, e.g. {\"kind\":\"app\",\"message\":\"optional text\"}.",
                extensions: Field("Content-Type", "header"));
        }
        var body = await ReadCappedAsync(http.Request, ReportInputParser.MaxBodyBytes, ct);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Report too large",
                detail: $"A report body is at most {ReportInputParser.MaxBodyBytes} bytes.", extensions: Field("body"));
        }
        var (input, error) = ReportInputParser.Parse(body);
        if (input is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid report", detail: error!.Detail,
                extensions: Field(error.Field));
        }

        var now = time.GetUtcNow();
        var fingerprints = await clients.FingerprintsAsync(http, service, now, ct);
        var outcome = await recorder.RecordAsync(service, input, fingerprints, now, ct);
        Telemetry.PipelineMetrics.ReportReceived(definition.Id, outcome.ToString().ToLowerInvariant());
        if (outcome == ReportOutcome.Busy)
        {
            http.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy",
                detail: "Many reports are arriving for this service right now; please send yours again in a second.");
        }
        if (outcome == ReportOutcome.Counted)
        {
            var summary = await reader.SummaryAsync(service, now, ct);
            if (summary.Surge)
            {
                await surges.RaiseIfNewAsync(definition, summary, now, ct);
            }
        }
        return TypedResults.Accepted($"/api/services/{Uri.EscapeDataString(service)}/reports",
            new ReportAcceptedDto(true, outcome == ReportOutcome.Counted, ReportRows.Floor(now, ReportRows.Bucket)));
    }

    private static async Task<Results<Ok<ReportsDto>, ProblemHttpResult>> GetReports(string service, string? hours, CatalogProvider catalog,
        ReportReader reader, IOptions<ReportsOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (catalog.Current.FindService(service) is not { } definition)
        {
            return ApiProblems.UnknownService(service);
        }
        var span = 24;
        if (hours is not null && (!int.TryParse(hours, out span) || span is < 1 or > MaxHours))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid query parameter",
                detail: $"'hours': '{hours}' is not a whole number of hours from 1 to {MaxHours}.", extensions: Field("hours", "parameter"));
        }

        var now = time.GetUtcNow();
        var to = ReportRows.Floor(now, ReportRows.Bucket) + ReportRows.Bucket;
        var from = to - TimeSpan.FromHours(span);
        // One range covers the window and, for every bucket in it, the same bucket on each of the 7 days before.
        var rows = (await reader.BucketsAsync(service, from.AddDays(-SurgeRule.BaselineDays), to, ct)).ToDictionary(b => b.Start);
        int TotalAt(DateTimeOffset start) => rows.TryGetValue(start, out var b) ? b.Total : 0;
        double UsualAt(DateTimeOffset start) =>
            Math.Round(Enumerable.Range(1, SurgeRule.BaselineDays).Sum(d => TotalAt(start.AddDays(-d))) / (double)SurgeRule.BaselineDays, 2);

        var buckets = new List<ReportBucketDto>();
        for (var start = from; start < to; start += ReportRows.Bucket)
        {
            var kinds = rows.TryGetValue(start, out var b) ? b.Kinds : ReportKinds.All.ToDictionary(k => k, _ => 0);
            buckets.Add(new ReportBucketDto(start, TotalAt(start), kinds, UsualAt(start)));
        }
        var windowStart = SurgeRule.WindowStart(now);
        var current = SurgeRule.Evaluate(now,
            Window(windowStart).Sum(TotalAt),
            Window(windowStart).SelectMany(s => rows.TryGetValue(s, out var b) ? b.Networks : []).Distinct(StringComparer.Ordinal).Count(),
            Enumerable.Range(1, SurgeRule.BaselineDays).Select(d => Window(windowStart.AddDays(-d)).Sum(TotalAt)),
            options.Value);
        // Messages only from the last hour: recent enough to read, and a bounded read whatever 'hours' is.
        var messages = await reader.MessagesAsync(service, Max(from, to.AddHours(-1)), to, options.Value.MessagesPerBucket, ct);

        return TypedResults.Ok(new ReportsDto(service, definition.Name, from, to, (int)ReportRows.Bucket.TotalMinutes, buckets.Sum(b => b.Total),
            "usual = average count of the same 5-minute time of day (UTC) over the previous 7 days", current, buckets,
            messages.Select(m => new ReportMessageDto(m.At, m.Kind, m.Text)).ToList()));
    }

    private static IEnumerable<DateTimeOffset> Window(DateTimeOffset start) =>
        Enumerable.Range(0, SurgeRule.WindowBuckets).Select(i => start + i * ReportRows.Bucket);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>The body, or null when it is longer than <paramref name="max"/> bytes (never buffered past the cap).</summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength > max)
        {
            return null;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(max + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= max && (read = await request.Body.ReadAsync(buffer.AsMemory(length, max + 1 - length), ct)) > 0)
            {
                length += read;
            }
            return length > max ? null : buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Dictionary<string, object?> Field(string name, string key = "field") => new() { [key] = name };
}
