using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Admin;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Admin;

public class AdminAuthTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task AdminRoute_NoKeySent_Unauthorized()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "auth-none"), AdminHarness.WithKey());

        using var response = await app.AdminClient(key: null).GetAsync("/api/admin/maintenance");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "X-Admin-Key");
    }

    [Fact]
    public async Task AdminRoute_WrongKey_UnauthorizedAndKeyNotEchoed()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "auth-wrong"), AdminHarness.WithKey());

        using var response = await app.AdminClient("wrong-key-wrong-key-wrong").PostAsync("/api/admin/probe/auth-wrong/web", null);

        var body = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "does not match");
        Assert.DoesNotContain(AdminHarness.Key, body);
    }

    [Fact]
    public async Task AdminRoute_WrongKeyAndBadBody_UnauthorizedBeforeTheBodyIsRead()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "auth-body"), AdminHarness.WithKey());
        using var content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");

        using var response = await app.AdminClient("wrong-key-wrong-key-wrong").PostAsync("/api/admin/maintenance", content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AdminRoute_RightKey_Answers()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "auth-right"), AdminHarness.WithKey());

        var list = await app.AdminClient().GetFromJsonAsync<JsonElement>("/api/admin/maintenance");

        Assert.Empty(list.GetProperty("windows").EnumerateArray());
    }

    [Fact]
    public async Task AdminRoute_StandaloneWithoutConfiguredKey_RefusedEvenWithAHeader()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "auth-off"));

        using var response = await app.AdminClient("anything-anything-anything").GetAsync("/api/admin/maintenance");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "Admin:Key");
    }

    [Fact]
    public async Task AdminRoute_HostedWithoutConfiguredKey_TrustsTheHostsFunctionKeyCheck()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "auth-hosted"), host: MonitorHost.Functions);

        using var response = await app.AdminClient(key: null).GetAsync("/api/admin/maintenance");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AdminRoute_HostedWithConfiguredKey_StillRequiresIt()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "auth-both"), AdminHarness.WithKey(), MonitorHost.Functions);

        using var response = await app.AdminClient(key: null).DeleteAsync("/api/admin/maintenance/0123456789abcdef0123456789abcdef");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("short", false)]
    [InlineData("exactly-16-chars", true)]
    [InlineData("", true)]
    public void Options_KeyLength_ShorterThan16RejectedNamingTheSetting(string key, bool valid)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Admin:Key"] = key });
        builder.AddAdmin();
        using var host = builder.Build();

        var error = Record.Exception(() => host.Services.GetRequiredService<IOptions<AdminOptions>>().Value);

        Assert.Equal(valid, error is null);
        if (!valid)
        {
            Assert.Contains("Admin:Key must be at least 16 characters", Assert.IsType<OptionsValidationException>(error).Message);
        }
    }

    [Fact]
    public void KeyEquals_SameAndDifferentKeys_ComparesWholeKey()
    {
        Assert.True(AdminKeyFilter.KeyEquals(AdminHarness.Key, AdminHarness.Key));
        Assert.False(AdminKeyFilter.KeyEquals(AdminHarness.Key + "x", AdminHarness.Key));
        Assert.False(AdminKeyFilter.KeyEquals(AdminHarness.Key[..^1], AdminHarness.Key));
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailContains, problem.GetProperty("detail").GetString());
        return body;
    }
}
