using ServerlessMonitor.Pages;
using ServerlessMonitor.Status;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>The banner's sentence dates an outage by the app's clock, never the machine's.</summary>
public class StatusPageSentenceTests
{
    private static readonly DateTimeOffset Since = ManualClock.Epoch.AddHours(2);

    [Theory]
    [InlineData(0, "Svc is down since 14:00 UTC")]
    [InlineData(1, "Svc is down since 14:00 UTC on Nov 21")]
    [InlineData(400, "Svc is down since 14:00 UTC on Nov 21")]
    public void Sentence_OutageStartedOnAnotherDayThanNow_NamesTheDay(int daysLater, string expected)
    {
        var status = new ServiceStatusDto("svc", "Svc", "lab", HealthStatus.Down, Since, Since, [], null, []);

        Assert.Equal(expected, StatusPageHtml.Sentence(status, Since.AddDays(daysLater)));
    }
}
