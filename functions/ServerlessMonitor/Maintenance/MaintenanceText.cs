using System.Globalization;

namespace ServerlessMonitor.Maintenance;

/// <summary>The words for a maintenance occurrence, the same on the page and in the messages: "Tue 02:00–03:00 UTC".</summary>
public static class MaintenanceText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// The weekday and times; the date too when the start is a week or more away from <paramref name="now"/> (a weekday alone would
    /// be ambiguous), and the end's weekday when it ends on another day.
    /// </summary>
    public static string Span(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        var (s, e) = (start.UtcDateTime, end.UtcDateTime);
        var day = Math.Abs((s - now.UtcDateTime).TotalDays) >= 6 ? s.ToString("ddd MMM d", Inv) : s.ToString("ddd", Inv);
        var until = e.Date == s.Date || (e == e.Date && e.Date == s.Date.AddDays(1)) ? e.ToString("HH:mm", Inv) : e.ToString("ddd HH:mm", Inv);
        return $"{day} {s.ToString("HH:mm", Inv)}–{until} UTC";
    }

    /// <summary>"Planned maintenance Tue 02:00–03:00 UTC" (with the endpoint when the window covers one endpoint only).</summary>
    public static string Planned(MaintenanceOccurrence o, DateTimeOffset now) =>
        $"Planned maintenance {Span(o.Start, o.End, now)}{Of(o)}";

    /// <summary>"Planned maintenance in progress until 03:00 UTC".</summary>
    public static string Running(MaintenanceOccurrence o, DateTimeOffset now) =>
        $"Planned maintenance in progress until {(o.End.UtcDateTime.Date == now.UtcDateTime.Date ? "" : o.End.UtcDateTime.ToString("ddd ", Inv))}"
        + $"{o.End.UtcDateTime.ToString("HH:mm", Inv)} UTC{Of(o)}";

    private static string Of(MaintenanceOccurrence o) => o.Window.Endpoint is { } endpoint ? $" ({endpoint})" : "";
}
