using System.Text.Json;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Alerts;

public class EventGridAlertSinkTests
{
    private const string Key = "test-topic-key-0123456789";

    [Fact]
    public async Task Dispatch_EventGridTopicWithKey_PublishesTheCloudEventWithKeyHeader()
    {
        using var dir = new TempDirectory();
        await using var topic = await LoopbackReceiver.StartAsync();
        var clock = new ManualClock();
        using var harness = new AlertsHarness(dir.File("m.db"), clock, TopicSettings(topic));
        var alert = await harness.WriteAlertAsync(clock.GetUtcNow());

        var report = await harness.DispatchAsync();

        Assert.Equal(new DispatchReport(1, 0, 0), report);
        var request = Assert.Single(topic.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(Key, request.Header("aeg-sas-key"));
        Assert.StartsWith("application/cloudevents-batch+json", request.Header("Content-Type"));
        using var body = JsonDocument.Parse(request.Body);
        var e = Assert.Single(body.RootElement.EnumerateArray());
        Assert.Equal("1.0", e.GetProperty("specversion").GetString());
        Assert.Equal(alert.Id, e.GetProperty("id").GetString());
        Assert.Equal(AlertTypes.EndpointDown, e.GetProperty("type").GetString());
        Assert.Equal("/serverlessmonitor/test", e.GetProperty("source").GetString());
        Assert.Equal("services/tiktok/endpoints/web", e.GetProperty("subject").GetString());
        Assert.Equal(alert.Time, e.GetProperty("time").GetDateTimeOffset());
        Assert.Equal("application/json", e.GetProperty("datacontenttype").GetString());
        var data = e.GetProperty("data");
        Assert.Equal("tiktok", data.GetProperty("service").GetString());
        Assert.Equal("web", data.GetProperty("endpoint").GetString());
        Assert.Equal("down", data.GetProperty("status").GetString());
        Assert.Equal("up", data.GetProperty("previousStatus").GetString());
        Assert.Equal("server-error", data.GetProperty("likelyCause").GetString());
        Assert.Equal(["westeurope", "eastus"], data.GetProperty("regions").EnumerateArray().Select(r => r.GetString()));
        var row = await harness.ReadRowAsync(alert);
        Assert.Equal(OutboxRows.Delivered, row!.GetString(OutboxRows.StateProperty));
        Assert.Equal("eventgrid", row.GetString(OutboxRows.DeliveredToProperty));
    }

    [Fact]
    public async Task Dispatch_TopicRejectsKey_RowStaysPendingWithStatusButNoKeyInError()
    {
        using var dir = new TempDirectory();
        await using var topic = await LoopbackReceiver.StartAsync((_, response) =>
        {
            response.StatusCode = 401;
            return Task.CompletedTask;
        });
        var clock = new ManualClock();
        using var harness = new AlertsHarness(dir.File("m.db"), clock, TopicSettings(topic));
        var alert = await harness.WriteAlertAsync(clock.GetUtcNow());

        var report = await harness.DispatchAsync();

        Assert.Equal(new DispatchReport(0, 1, 0), report);
        var row = await harness.ReadRowAsync(alert);
        Assert.Equal(OutboxRows.Pending, row!.GetString(OutboxRows.StateProperty));
        var error = row.GetString(OutboxRows.LastErrorProperty)!;
        Assert.Contains("HTTP 401", error);
        Assert.DoesNotContain(Key, error);
    }

    internal static Dictionary<string, string?> TopicSettings(LoopbackReceiver topic) => new()
    {
        ["EventGrid:TopicEndpoint"] = new Uri(topic.Url, "/api/events").ToString(),
        ["EventGrid:TopicKey"] = Key,
    };
}
