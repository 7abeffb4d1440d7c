using ServerlessMonitor.Catalog;
using ServerlessMonitor.Maintenance;

namespace ServerlessMonitor.Tests.Maintenance;

/// <summary>When a maintenance window is shown and announced: the pure rules, minute by minute around each phase.</summary>
public sealed class MaintenanceOccurrenceTests
{
    // Tue 2026-11-24 02:00–03:00 UTC.
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan AnnounceBefore = TimeSpan.FromHours(48);

    [Theory]
    [InlineData(-48 * 60 - 1, null)]
    [InlineData(-48 * 60, "Scheduled")]
    [InlineData(-1, "Scheduled")]
    [InlineData(0, "Started")]
    [InlineData(59, "Started")]
    [InlineData(60, "Ended")]
    [InlineData(119, "Ended")]
    [InlineData(120, null)]
    public void Due_OneOffWindow_EachPhaseInItsSpanOnly(int minutesFromStart, string? phase)
    {
        var window = new MaintenanceWindow("svc", null, Start, Hour, null);

        var due = MaintenanceOccurrence.Due(window, Start.AddMinutes(minutesFromStart), AnnounceBefore).ToList();

        Assert.Equal(phase is null ? [] : [phase], due.Select(d => d.Phase.ToString()));
        Assert.All(due, d => Assert.Equal(Start, d.Occurrence.Start));
    }

    [Fact]
    public void Due_WeeklyWindowEndedAndNextWithinAnnounceBefore_EndedOfThisAndScheduledOfTheNext()
    {
        var window = new MaintenanceWindow("svc", null, Start, TimeSpan.FromDays(5) + Hour, TimeSpan.FromDays(7));
        var now = Start + TimeSpan.FromDays(5) + Hour + TimeSpan.FromMinutes(10);

        var due = MaintenanceOccurrence.Due(window, now, AnnounceBefore).ToList();

        Assert.Equal([(MaintenancePhase.Ended, Start), (MaintenancePhase.Scheduled, Start.AddDays(7))], due.Select(d => (d.Phase, d.Occurrence.Start)));
        Assert.NotEqual(due[0].Occurrence.Seed(MaintenancePhase.Scheduled), due[1].Occurrence.Seed(MaintenancePhase.Scheduled));
    }

    [Fact]
    public void Due_AnnounceBeforeZero_NothingAhead()
    {
        var window = new MaintenanceWindow("svc", null, Start, Hour, null);

        Assert.Empty(MaintenanceOccurrence.Due(window, Start.AddMinutes(-1), TimeSpan.Zero));
    }

    [Theory]
    [InlineData(-48 * 60 - 1, false)]
    [InlineData(-48 * 60, true)]
    [InlineData(59, true)]
    [InlineData(60, false)]
    public void Shown_FromAnnounceBeforeUntilTheEnd(int minutesFromStart, bool shown)
    {
        var window = new MaintenanceWindow("svc", null, Start, Hour, null);

        Assert.Equal(shown, MaintenanceOccurrence.Shown([window], Start.AddMinutes(minutesFromStart), AnnounceBefore).Any());
    }

    [Theory]
    [InlineData("2026-11-22T02:00:00Z", "2026-11-24T02:00:00Z", 60, "Tue 02:00–03:00 UTC")]
    [InlineData("2026-11-22T02:00:00Z", "2026-11-24T23:00:00Z", 60, "Tue 23:00–00:00 UTC")]
    [InlineData("2026-11-22T02:00:00Z", "2026-11-24T23:00:00Z", 180, "Tue 23:00–Wed 02:00 UTC")]
    [InlineData("2026-11-10T02:00:00Z", "2026-11-24T02:00:00Z", 60, "Tue Nov 24 02:00–03:00 UTC")]
    public void Span_WeekdayAndTimes_DateWhenAWeekAwayAndEndDayWhenLater(string now, string start, int minutes, string expected)
    {
        var s = DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, MaintenanceText.Span(s, s.AddMinutes(minutes), DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
