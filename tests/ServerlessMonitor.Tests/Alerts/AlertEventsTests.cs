using System.Text.Json;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Alerts;

public class AlertEventsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertData Data = new() { Service = "tiktok", Endpoint = "web", Status = "down", Start = Now };

    [Fact]
    public void Create_SameSeed_SameIdAndDifferentSeedDifferentId()
    {
        var a = AlertEvents.Create(AlertTypes.EndpointDown, "prod", "tiktok", "web", Now, Data, "tiktok.web|i1|down");
        var b = AlertEvents.Create(AlertTypes.EndpointDown, "prod", "tiktok", "web", Now.AddMinutes(1), Data, "tiktok.web|i1|down");
        var c = AlertEvents.Create(AlertTypes.EndpointDown, "prod", "tiktok", "web", Now, Data, "tiktok.web|i2|down");

        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, c.Id);
        Assert.Matches("^[0-9a-f]{32}$", a.Id);
    }

    [Theory]
    [InlineData("web", "services/tiktok/endpoints/web")]
    [InlineData(null, "services/tiktok")]
    public void Create_EndpointOrService_SourceAndSubjectFollowTheDesign(string? endpoint, string subject)
    {
        var e = AlertEvents.Create(AlertTypes.ServiceStatusChanged, "prod", "tiktok", endpoint, Now, Data, "seed");

        Assert.Equal("/serverlessmonitor/prod", e.Source);
        Assert.Equal(subject, e.Subject);
    }

    [Fact]
    public void OutboxRowsCreate_Event_PendingRowWithCamelCaseIsoJson()
    {
        var e = AlertEvents.Create(AlertTypes.EndpointDown, "prod", "tiktok", "web", Now, Data with { PreviousStatus = "up" }, "seed");

        var row = OutboxRows.Create("tiktok.web", e, Now);

        Assert.Equal("tiktok.web", row.PartitionKey);
        Assert.Equal(MonitorTables.OutboxKey(e.Id), row.RowKey);
        Assert.Equal(OutboxRows.Pending, row.GetString(OutboxRows.StateProperty));
        Assert.Equal(0, row.Get<int>(OutboxRows.AttemptsProperty));
        Assert.Equal(Now, row.GetDate(OutboxRows.NextAttemptAtProperty));
        Assert.Equal(Now, row.GetDate(OutboxRows.CreatedAtProperty));
        Assert.Equal(AlertTypes.EndpointDown, row.GetString(OutboxRows.TypeProperty));
        Assert.Equal("services/tiktok/endpoints/web", row.GetString(OutboxRows.SubjectProperty));
        var json = row.GetString(OutboxRows.EventProperty)!;
        Assert.StartsWith("{\"specversion\":\"1.0\",", json);
        using var doc = JsonDocument.Parse(json);
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal("up", data.GetProperty("previousStatus").GetString());
        Assert.Equal("2026-11-21T12:00:00+00:00", data.GetProperty("start").GetString());
        Assert.False(data.TryGetProperty("lastError", out _));
        Assert.Equal(e, OutboxRows.TryDeserialize(json)! with { Data = e.Data });
    }
}
