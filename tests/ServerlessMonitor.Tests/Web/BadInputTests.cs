using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Reports;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Web;

/// <summary>Input that used to answer 500: each is now a 400 problem naming the parameter or field.</summary>
public class BadInputTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string key, string name)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(name, problem.GetProperty(key).GetString());
    }

    private static string Base64(string text) => Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task Checks_ForgedOrTruncatedContinuation_BadRequestNamingIt_RealTokenStillPages()
    {
        const string name = "bad-token";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        var client = app.CreateClient();
        var url = $"/api/services/{name}/checks?endpoint=web&limit=1";
        var first = await client.GetFromJsonAsync<JsonElement>(url);
        var token = first.GetProperty("continuationToken").GetString()!;

        var second = await client.GetFromJsonAsync<JsonElement>($"{url}&continuation={Uri.EscapeDataString(token)}");
        Assert.Single(second.GetProperty("checks").EnumerateArray());

        foreach (var forged in new[]
        {
            Uri.EscapeDataString(token[..^2]),  // truncated: no longer base64
            "%25%25%25",                        // not base64 at all
            Base64("incident-"),                // a key before the results: would have read incidents, state and outbox rows
            Base64("zzz"),                      // after the range
            "%2F%2F8%3D",                       // "//8=": bytes that are not UTF-8
            "",
        })
        {
            using var response = await client.GetAsync($"{url}&continuation={forged}");
            await AssertBadRequestAsync(response, "parameter", "continuation");
        }
    }

    [Theory]
    [InlineData("checks?endpoint=web&to=0001-01-01T00:00:00Z", "to")]
    [InlineData("checks?endpoint=web&from=0001-01-01T00:00:00Z", "from")]
    [InlineData("checks?endpoint=web&to=9999-12-31T23:59:59Z", "to")]
    [InlineData("checks?endpoint=web&from=0001-01-01T00:00:00%2B01:00", "from")]
    [InlineData("incidents?to=0001-01-01T00:00:00Z", "to")]
    [InlineData("incidents?from=0001-01-01T00:00:00Z", "from")]
    [InlineData("incidents?to=9999-12-31T23:59:59.9999999Z", "to")]
    [InlineData("incidents?from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z", "from")]
    public async Task History_DateOutOfRange_BadRequestNamingTheParameter(string query, string parameter)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "bad-dates"));

        using var response = await app.CreateClient().GetAsync($"/api/services/bad-dates/{query}");

        await AssertBadRequestAsync(response, "parameter", parameter);
    }

    [Theory]
    [InlineData("""{"status":"identified","message":"lone \ud800 surrogate"}""", "message")]
    [InlineData("""{"status":"identified","message":"bell \u0007"}""", "message")]
    [InlineData("""{"status":"identified","status":"resolved","message":"twice"}""", "status")]
    [InlineData("""{"status":"\ud800","message":"m"}""", "status")]
    public async Task Note_InvalidText_ValidationProblemNamingTheField(string body, string field)
    {
        const string name = "bad-note";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), AdminHarness.WithKey());
        await app.ResolvedOutageAsync(fixture.Lab, name);
        var id = Assert.Single((await app.IncidentsAsync(name)).EnumerateArray()).GetProperty("id").GetString()!;

        using var response = await app.AdminClient().PostAsync($"/api/admin/incidents/{id}/notes",
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(Assert.Single((await app.IncidentsAsync(name)).EnumerateArray()).GetProperty("notes").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"kind":"app","message":"lone \ud800"}""", "message")]
    [InlineData("""{"kind":"\udc00"}""", "kind")]
    public async Task Report_UndecodableText_BadRequestNamingTheField(string body, string field)
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());

        using var response = await app.CreateClient().PostRawAsync(body);

        await AssertBadRequestAsync(response, "field", field);
    }
}
