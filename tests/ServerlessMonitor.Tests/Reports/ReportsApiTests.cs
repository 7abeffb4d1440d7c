using System.Net;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Reports;

public class ReportsApiTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Post_ValidReport_AcceptedAndGetShowsItInItsBucketByKind()
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());
        var client = app.CreateClient();
        app.Clock.Advance(TimeSpan.FromMinutes(7));

        var response = await client.PostAsync("login", "cannot sign in");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body.GetProperty("accepted").GetBoolean());
        Assert.True(body.GetProperty("counted").GetBoolean());
        Assert.Equal(Noon.AddMinutes(5), body.GetProperty("bucket").GetDateTimeOffset());

        var reports = await client.GetReportsAsync();
        Assert.Equal(288, reports.GetProperty("buckets").GetArrayLength());
        Assert.Equal(1, reports.GetProperty("total").GetInt32());
        var bucket = reports.BucketAt(Noon.AddMinutes(5));
        Assert.Equal(1, bucket.GetProperty("total").GetInt32());
        Assert.Equal(1, bucket.GetProperty("kinds").GetProperty("login").GetInt32());
        Assert.Equal(0, bucket.GetProperty("kinds").GetProperty("app").GetInt32());
        Assert.Equal(0, reports.BucketAt(Noon).GetProperty("total").GetInt32());
        var message = Assert.Single(reports.GetProperty("recentMessages").EnumerateArray());
        Assert.Equal(("login", "cannot sign in"), (message.GetProperty("kind").GetString(), message.GetProperty("message").GetString()));
        Assert.Equal(1, reports.GetProperty("current").GetProperty("reports").GetInt32());
        Assert.False(reports.GetProperty("current").GetProperty("surge").GetBoolean());
    }

    [Fact]
    public async Task Post_SameClientWithin15Minutes_NotCounted_CountedAgainInTheNextWindow()
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());
        var client = app.CreateClient();

        Assert.True((await (await client.PostAsync("app")).JsonAsync()).GetProperty("counted").GetBoolean());
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        var repeat = await client.PostAsync("feed", "spam?");
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.False((await repeat.JsonAsync()).GetProperty("counted").GetBoolean());

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await (await client.PostAsync("feed")).JsonAsync()).GetProperty("counted").GetBoolean());

        var reports = await client.GetReportsAsync();
        Assert.Equal(2, reports.GetProperty("total").GetInt32());
        Assert.Equal(0, reports.BucketAt(Noon.AddMinutes(10)).GetProperty("total").GetInt32());
        Assert.Empty(reports.GetProperty("recentMessages").EnumerateArray());
    }

    [Fact]
    public async Task Post_SameClientAcrossAWindowBoundary_NotCountedUntil15MinutesAfterTheCountedOne()
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());
        var client = app.CreateClient();
        app.Clock.Advance(TimeSpan.FromMinutes(14));

        var first = await (await client.PostAsync("app")).JsonAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var second = await (await client.PostAsync("app")).JsonAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(13));
        var third = await (await client.PostAsync("app")).JsonAsync();

        Assert.Equal((true, false, true), (first.GetProperty("counted").GetBoolean(), second.GetProperty("counted").GetBoolean(),
            third.GetProperty("counted").GetBoolean()));
    }

    [Fact]
    public async Task Post_DifferentUserAgent_CountedAsAnotherClient()
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());
        var client = app.CreateClient();

        await client.PostAsync("app", userAgent: "phone/1");
        var other = await (await client.PostAsync("app", userAgent: "laptop/2")).JsonAsync();

        Assert.True(other.GetProperty("counted").GetBoolean());
        Assert.Equal(2, (await client.GetReportsAsync()).BucketAt(Noon).GetProperty("kinds").GetProperty("app").GetInt32());
    }

    [Theory]
    [InlineData("""{"kind":"printer"}""", "kind")]
    [InlineData("""{"message":"no kind"}""", "kind")]
    [InlineData("""{"kind":42}""", "kind")]
    [InlineData("""{"kind":"app","message":7}""", "message")]
    [InlineData("""{"kind":"app","message":"LONG"}""", "message")]
    [InlineData("""kind=app""", "body")]
    [InlineData("""["app"]""", "body")]
    [InlineData("", "body")]
    public async Task Post_InvalidBody_BadRequestNamingTheField(string body, string field)
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());
        var client = app.CreateClient();

        var response = await client.PostRawAsync(body.Replace("LONG", new string('x', 501)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(field == "body" ? "JSON" : $"'{field}'", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await client.GetReportsAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Post_BodyOver4KiB_ContentTooLarge()
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());
        var client = app.CreateClient();

        var response = await client.PostRawAsync($$"""{"kind":"app","padding":"{{new string('x', 5000)}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body", (await response.JsonAsync()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Post_MessageWithControlCharactersAndPersonalData_StoredCleanedAndMasked()
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());
        var client = app.CreateClient();

        await client.PostAsync("other", "  feed\u0000 broken\n\tmail me: jane.doe@example.com or +1 (555) 123-4567 \u001b ");

        var message = Assert.Single((await client.GetReportsAsync()).GetProperty("recentMessages").EnumerateArray());
        Assert.Equal("feed broken mail me: [email] or [number]", message.GetProperty("message").GetString());
    }

    [Fact]
    public async Task PostAndGet_UnknownService_NotFoundProblem()
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());
        var client = app.CreateClient();

        var post = await client.PostAsync("app", service: "nope");
        var get = await client.GetAsync("/api/services/nope/reports");

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("Unknown service", (await get.JsonAsync()).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("169")]
    [InlineData("day")]
    public async Task Get_HoursOutOfRange_BadRequestNamingTheParameter(string hours)
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());
        var client = app.CreateClient();

        var response = await client.GetAsync($"/api/services/svc/reports?hours={hours}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("hours", (await response.JsonAsync()).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Get_HoursGiven_OneBucketPerFiveMinutesEndingWithTheCurrentOne()
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());
        var client = app.CreateClient();
        app.Clock.Advance(TimeSpan.FromMinutes(3));

        var reports = await client.GetReportsAsync("?hours=2");

        Assert.Equal(24, reports.GetProperty("buckets").GetArrayLength());
        Assert.Equal(Noon.AddMinutes(5), reports.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(Noon.AddMinutes(-115), reports.GetProperty("from").GetDateTimeOffset());
    }
}
