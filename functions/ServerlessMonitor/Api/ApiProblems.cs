using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Api;

/// <summary>The problem details and query parsing every public route shares, so errors read the same everywhere.</summary>
public static class ApiProblems
{
    /// <summary>
    /// Dates the API accepts: the Unix epoch to the end of 8999 — beyond any data, and far enough from
    /// DateTimeOffset's ends that default windows (to − 90 days, now + 1 s) can never overflow.
    /// </summary>
    public static readonly DateTimeOffset MinDate = DateTimeOffset.UnixEpoch;

    public static readonly DateTimeOffset MaxDate = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ProblemHttpResult UnknownService(string service) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown service",
            detail: $"No service with id '{TextRules.Quote(service)}' is monitored here. GET /api/status lists them.");

    /// <summary>400 naming the query parameter (also as the <c>parameter</c> extension, for programs).</summary>
    public static ProblemHttpResult BadQuery(string parameter, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid query parameter", detail: $"'{parameter}': {detail}",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    public static ProblemHttpResult BadDate(string parameter, string? value) =>
        BadQuery(parameter, $"'{TextRules.Quote(value ?? "")}' is not an ISO 8601 date and time from {MinDate:yyyy-MM-dd} to 8999-12-31 (e.g. 2026-11-21T14:00:00Z).");

    /// <summary>
    /// Absent = <paramref name="fallback"/>; present = must parse (dates without offset are UTC) and lie
    /// within [<see cref="MinDate"/>, <see cref="MaxDate"/>).
    /// </summary>
    public static bool TryParseDate(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        value = fallback;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
            && value >= MinDate && value < MaxDate;
    }

    /// <summary>Absent = <paramref name="fallback"/>; present = a whole number within [min, max].</summary>
    public static bool TryParseInt(string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        return text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }
}
