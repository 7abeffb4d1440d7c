using ServerlessMonitor.Alerts;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

public class ServiceIncidentRuleTests
{
    private static readonly DateTimeOffset T0 = ManualClock.Epoch;

    private static AlertEvent Alert(string type, string endpoint, int minute, string cause = "server-error") =>
        AlertEvents.Create(type, "test", "tiktok", endpoint, T0.AddMinutes(minute), new AlertData
        {
            Service = "tiktok",
            Endpoint = endpoint,
            Status = type == AlertTypes.EndpointRecovered ? "up" : "down",
            IncidentId = $"{endpoint}-incident",
            LikelyCause = cause,
            Start = T0.AddMinutes(minute - 1),
            Regions = ["local"],
        }, $"{endpoint}|{type}|{minute}");

    [Fact]
    public void Apply_ThreeEndpointsDownTogether_OneServiceDown()
    {
        var step = ServiceIncidentRule.Apply("tiktok", ServiceIncident.None,
            [Alert(AlertTypes.EndpointDown, "web", 1), Alert(AlertTypes.EndpointDown, "api", 1), Alert(AlertTypes.EndpointDown, "cdn", 1)], T0.AddMinutes(1));

        Assert.Equal([AlertTypes.ServiceDown], step.Emit);
        Assert.Equal(["api", "cdn", "web"], step.State.Members.Select(m => m.Endpoint));
        Assert.Equal(T0, step.State.Start);
        Assert.NotNull(step.State.IncidentId);
    }

    [Fact]
    public void Apply_MoreEndpointsFailLater_NoNewMessageButMembersAdded()
    {
        var open = ServiceIncidentRule.Apply("tiktok", ServiceIncident.None, [Alert(AlertTypes.EndpointDown, "web", 1)], T0.AddMinutes(1)).State;

        var step = ServiceIncidentRule.Apply("tiktok", open, [Alert(AlertTypes.EndpointDown, "api", 2)], T0.AddMinutes(2));

        Assert.Empty(step.Emit);
        Assert.True(step.MembersAdded);
        Assert.Equal(open.IncidentId, step.State.IncidentId);
    }

    [Fact]
    public void Apply_LastEndpointRecovers_ServiceRecoveredWithDuration()
    {
        var open = ServiceIncidentRule.Apply("tiktok", ServiceIncident.None,
            [Alert(AlertTypes.EndpointDown, "web", 1), Alert(AlertTypes.EndpointDown, "api", 1)], T0.AddMinutes(1)).State;

        var partial = ServiceIncidentRule.Apply("tiktok", open, [Alert(AlertTypes.EndpointRecovered, "web", 5)], T0.AddMinutes(5));
        var closed = ServiceIncidentRule.Apply("tiktok", partial.State, [Alert(AlertTypes.EndpointRecovered, "api", 9)], T0.AddMinutes(9));

        Assert.Empty(partial.Emit);
        Assert.Equal([AlertTypes.ServiceRecovered], closed.Emit);
        Assert.False(closed.State.IsOpen);
        Assert.Equal((open.IncidentId, TimeSpan.FromMinutes(9)), (closed.State.ClosedIncident, closed.State.ClosedDuration));
    }

    [Fact]
    public void Apply_DegradedThenDown_EscalatesOnceInTheSameIncident()
    {
        var degraded = ServiceIncidentRule.Apply("tiktok", ServiceIncident.None, [Alert(AlertTypes.EndpointDegraded, "web", 1)], T0.AddMinutes(1));
        var down = ServiceIncidentRule.Apply("tiktok", degraded.State, [Alert(AlertTypes.EndpointDown, "api", 2)], T0.AddMinutes(2));
        var more = ServiceIncidentRule.Apply("tiktok", down.State, [Alert(AlertTypes.EndpointDown, "cdn", 3)], T0.AddMinutes(3));

        Assert.Equal([AlertTypes.ServiceDegraded], degraded.Emit);
        Assert.Equal([AlertTypes.ServiceDown], down.Emit);
        Assert.Empty(more.Emit);
        Assert.Equal(degraded.State.IncidentId, more.State.IncidentId);
    }

    [Fact]
    public void Apply_RecoveredWithoutIncidentOrOtherEvents_NothingHappens()
    {
        var step = ServiceIncidentRule.Apply("tiktok", ServiceIncident.None,
            [Alert(AlertTypes.EndpointRecovered, "web", 1), Alert(AlertTypes.CertificateExpiring, "web", 1)], T0);

        Assert.Empty(step.Emit);
        Assert.False(step.State.IsOpen);
    }
}
