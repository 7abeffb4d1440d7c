using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Tests.Catalog;

/// <summary>A service's optional browserCheck: a public http(s) URL and a mode, each problem reported at its JSON path.</summary>
public class BrowserCheckCatalogTests
{
    private static string Catalog(string browserCheck) =>
        $$"""{ "services": [ { "id": "s", "name": "S", "browserCheck": {{browserCheck}}, "endpoints": [ { "id": "web", "url": "http://127.0.0.1/" } ] } ] }""";

    [Theory]
    [InlineData("""{ "url": "https://www.example.com/favicon.ico" }""", "https://www.example.com/favicon.ico", BrowserCheckMode.Image, "https://www.example.com")]
    [InlineData("""{ "url": "https://www.example.com:443/favicon.ico", "mode": "image" }""", "https://www.example.com/favicon.ico", BrowserCheckMode.Image, "https://www.example.com")]
    [InlineData("""{ "url": "http://127.0.0.1:5080/favicon.png", "mode": "fetch" }""", "http://127.0.0.1:5080/favicon.png", BrowserCheckMode.Fetch, "http://127.0.0.1:5080")]
    [InlineData("""{ "url": "https://Bücher.example/logo.png?v=2" }""", "https://bücher.example/logo.png?v=2", BrowserCheckMode.Image, "https://xn--bcher-kva.example")]
    public void Load_ValidBrowserCheck_UrlModeAndOrigin(string json, string url, BrowserCheckMode mode, string origin)
    {
        var result = CatalogLoader.Load(Catalog(json));

        Assert.Empty(result.Errors);
        var check = result.Catalog!.Services[0].BrowserCheck!;
        Assert.Equal(new Uri(url), check.Url);
        Assert.Equal(mode, check.Mode);
        Assert.Equal(origin, check.Origin);
    }

    [Fact]
    public void Load_NoBrowserCheck_ServiceHasNone()
    {
        var result = CatalogLoader.Load("""{ "services": [ { "id": "s", "name": "S", "endpoints": [ { "id": "web", "url": "http://127.0.0.1/" } ] } ] }""");

        Assert.Null(result.Catalog!.Services[0].BrowserCheck);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { """{ "url": "ftp://example.com/favicon.ico" }""", "services[0].browserCheck.url: not an absolute http(s) URL" },
        { """{ "url": "/favicon.ico" }""", "services[0].browserCheck.url: not an absolute http(s) URL" },
        { """{ "url": "javascript:alert(1)" }""", "services[0].browserCheck.url: not an absolute http(s) URL" },
        { """{ "url": "https://user:secret@example.com/favicon.ico" }""", "services[0].browserCheck.url: must not contain credentials" },
        { """{ "url": "https://user@example.com/favicon.ico" }""", "services[0].browserCheck.url: must not contain credentials" },
        { $$"""{ "url": "https://example.com/{{new string('a', 2049 - "https://example.com/".Length)}}" }""",
            "services[0].browserCheck.url: must be at most 2048 characters (got 2049)" },
        { """{ "url": "http://[::1]:8080/favicon.ico" }""", "services[0].browserCheck.url: the host must be a DNS name or an IPv4 address" },
        { """{ "url": "http://www.example.com/favicon.ico" }""", "services[0].browserCheck.url: must be https" },
        { """{ "url": "http://10.0.0.5/favicon.ico", "mode": "fetch" }""", "services[0].browserCheck.url: must be https" },
        { """{ "url": "https://my_host.example/favicon.ico" }""", "services[0].browserCheck.url: the host must be a DNS name or an IPv4 address" },
        { """{ "url": "https://example.com/favicon.ico", "mode": "iframe" }""", "services[0].browserCheck.mode: unknown mode 'iframe' (expected image or fetch)" },
        { """{ "url": "https://example.com/favicon.ico", "mode": "Fetch" }""", "services[0].browserCheck.mode: unknown mode 'Fetch'" },
        { """{ "url": "https://example.com/favicon.ico", "mode": 1 }""", "services[0].browserCheck.mode: must be a string" },
        { """{ "mode": "image" }""", "services[0].browserCheck.url: required" },
        { """{ "url": "https://example.com/favicon.ico", "timeout": "00:00:08" }""", "services[0].browserCheck.timeout: unknown property" },
        { "\"https://example.com/favicon.ico\"", "services[0].browserCheck: must be an object" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Load_InvalidBrowserCheck_ErrorAtItsPath(string browserCheck, string expectedPrefix)
    {
        var result = CatalogLoader.Load(Catalog(browserCheck));

        Assert.Null(result.Catalog);
        Assert.True(result.Errors.Any(e => e.StartsWith(expectedPrefix, StringComparison.Ordinal)), string.Join("\n", result.Errors));
    }
}
