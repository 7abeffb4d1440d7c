using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Tests.Catalog;

public class MaintenanceWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, true)]
    [InlineData(59, true)]
    [InlineData(60, false)]
    [InlineData(-1, false)]
    [InlineData(7 * 24 * 60 + 30, true)]
    [InlineData(7 * 24 * 60 + 61, false)]
    public void Covers_WeeklyHourWindow_MatchesEachOccurrence(int minutesAfterStart, bool expected)
    {
        var window = new MaintenanceWindow("tiktok", null, Start, TimeSpan.FromHours(1), TimeSpan.FromDays(7));

        Assert.Equal(expected, window.Covers("tiktok", "web", Start.AddMinutes(minutesAfterStart)));
    }

    [Fact]
    public void Covers_OneOffWindow_EndsForGood()
    {
        var window = new MaintenanceWindow("tiktok", "web", Start, TimeSpan.FromHours(1), null);

        Assert.True(window.Covers("tiktok", "web", Start.AddMinutes(10)));
        Assert.False(window.Covers("tiktok", "dns", Start.AddMinutes(10)));
        Assert.False(window.Covers("instagram", "web", Start.AddMinutes(10)));
        Assert.False(window.Covers("tiktok", "web", Start.AddDays(7)));
    }
}
