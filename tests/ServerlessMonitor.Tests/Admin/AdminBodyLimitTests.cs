using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Admin;

/// <summary>Admin JSON bodies are read up to 64 KiB and never further: larger ones get 413 problem details.</summary>
public class AdminBodyLimitTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Theory]
    [InlineData("/api/admin/maintenance", true)]
    [InlineData("/api/admin/maintenance", false)]
    [InlineData("/api/admin/incidents/nope/notes", true)]
    public async Task Post_BodyOver64KiB_413ProblemDetails(string path, bool declaredLength)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "adm-big"), AdminHarness.WithKey());
        var json = $$"""{ "service": "adm-big", "pad": "{{new string('x', 64 * 1024)}}" }""";
        HttpContent content = declaredLength
            ? new StringContent(json, Encoding.UTF8, "application/json")
            : new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(json)));

        using var response = await app.AdminClient().PostAsync(path, content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Contains("64 KiB", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_BodyJustUnderCap_ReadAndValidated()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "adm-edge"), AdminHarness.WithKey());
        var json = $$"""{ "service": "adm-edge", "pad": "" }""";
        json = json.Replace("\"\"", $"\"{new string('x', 64 * 1024 - json.Length)}\"", StringComparison.Ordinal);

        using var response = await app.AdminClient().PostAsync("/api/admin/maintenance", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(64 * 1024, Encoding.UTF8.GetByteCount(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("pad", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A body sent chunked, without Content-Length: the cap must hold while reading, not only on the header.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
