using ServerlessMonitor.Alerts;
using ServerlessMonitor.Subscriptions;

namespace ServerlessMonitor.Tests.Subscriptions;

public sealed class SubscriberMessagesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 14, 2, 0, TimeSpan.Zero);

    private static AlertEvent Event(string type, AlertData data) =>
        AlertEvents.Create(type, "test", "tiktok", null, Start.AddMinutes(23), data, "seed-" + type);

    [Fact]
    public void Build_ServiceDown_TitleAndSinceWithCause()
    {
        var alert = Event(AlertTypes.ServiceDown, new AlertData
        {
            Service = "tiktok", ServiceName = "TikTok", Status = "down", Start = Start, LikelyCause = "server-error",
            StatusPageUrl = "https://status.example/services/tiktok",
        });

        var message = SubscriberMessages.Build(alert)!;

        Assert.Equal(("TikTok is down", "since 14:02 UTC, likely cause: server errors"), (message.Title, message.Text));
        Assert.Equal((alert.Id, AlertTypes.ServiceDown, "tiktok", "TikTok"), (message.EventId, message.Type, message.Service, message.ServiceName));
        Assert.Equal("https://status.example/services/tiktok", message.Link);
    }

    [Fact]
    public void Build_ServiceRecovered_BackAfterDuration()
    {
        var alert = Event(AlertTypes.ServiceRecovered, new AlertData
        {
            Service = "tiktok", ServiceName = "TikTok", Status = "up", Start = Start, End = Start.AddMinutes(23), DurationSeconds = 23 * 60,
        });

        var message = SubscriberMessages.Build(alert)!;

        Assert.Equal(("TikTok is back after 23 min", "TikTok was down from 14:02 UTC to 14:25 UTC."), (message.Title, message.Text));
    }

    [Theory]
    [InlineData(AlertTypes.EndpointDown)]
    [InlineData(AlertTypes.ServiceStillDown)]
    [InlineData(AlertTypes.ServiceStatusChanged)]
    [InlineData(AlertTypes.MonitorOffline)]
    public void Build_NotAServiceLevelSubscriberEvent_Null(string type)
    {
        Assert.Null(SubscriberMessages.Build(Event(type, new AlertData { Service = "tiktok", Status = "down" })));
    }

    [Theory]
    [InlineData(SubscriberMessages.ServiceUpdate, "TikTok: identified", "A bad deploy; rolling back.")]
    [InlineData(SubscriberMessages.MaintenanceScheduled, "Planned maintenance of TikTok", "A bad deploy; rolling back.")]
    [InlineData(SubscriberMessages.MaintenanceEnded, "Maintenance of TikTok has ended", "A bad deploy; rolling back.")]
    public void Build_UpdatesAndMaintenance_TitleAndTheirMessage(string type, string title, string text)
    {
        var message = SubscriberMessages.Build(Event(type, new AlertData
        {
            Service = "tiktok", ServiceName = "TikTok", Status = "identified", Message = "A bad deploy; rolling back.",
        }))!;

        Assert.Equal((title, text), (message.Title, message.Text));
    }

    [Fact]
    public void DeliveryId_SameEventAndSubscription_Stable()
    {
        Assert.Equal(SubscriberDeliveryIds.For("e1", "s1"), SubscriberDeliveryIds.For("e1", "s1"));
        Assert.NotEqual(SubscriberDeliveryIds.For("e1", "s1"), SubscriberDeliveryIds.For("e1", "s2"));
    }
}
