using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>The status page cannot be framed by another site: headers, since a meta CSP ignores frame-ancestors.</summary>
public class PageFramingTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Get_Page_ColdAndFromSnapshot_DeniesFraming()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "frame-page"));
        var client = app.CreateClient();

        using var cold = await client.GetAsync("/");
        await app.NextCycleAsync();
        using var warm = await client.GetAsync("/");

        foreach (var response in new[] { cold, warm })
        {
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        }
    }

    [Fact]
    public async Task Get_JsonApi_NoPageHeaders()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "frame-api"));
        await app.NextCycleAsync();

        using var response = await app.CreateClient().GetAsync("/api/status");

        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }
}
