using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Tests.Catalog;

public class TargetRedactionTests
{
    [Theory]
    [InlineData("https://www.tiktok.com/", "https://www.tiktok.com/")]
    [InlineData("https://host/path?token=abc", "https://host/path?token=***")]
    [InlineData("https://user:pw@host/path?token=abc", "https://host/path?token=***")]
    [InlineData("https://user@host:8443/a/b?x=1&y=&z", "https://host:8443/a/b?x=***&y=***&***")]
    [InlineData("https://host/p?a=1&&b=2#fragment-secret", "https://host/p?a=***&&b=***")]
    [InlineData("http://[::1]:8080/health?key=k", "http://[::1]:8080/health?key=***")]
    [InlineData("https://host/p%20q?q=a%20b", "https://host/p%20q?q=***")]
    public void Redact_Url_KeepsSchemeHostPortPathAndQueryNamesOnly(string url, string expected)
    {
        Assert.Equal(expected, TargetRedaction.Redact(new Uri(url)));
    }

    [Fact]
    public void Target_EndpointWithSecrets_RedactedAndToStringNamesNoHeaderValue()
    {
        var endpoint = new EndpointDefinition
        {
            Id = "web",
            Kind = EndpointKind.Http,
            Url = new Uri("https://user:pw@host/x?token=abc"),
            Headers = new Dictionary<string, string> { ["X-Api-Key"] = "header-secret" },
        };

        Assert.Equal("https://host/x?token=***", endpoint.Target);
        Assert.DoesNotContain("header-secret", endpoint.ToString());
        Assert.DoesNotContain("pw", endpoint.ToString());
        Assert.DoesNotContain("abc", endpoint.ToString());
    }

    [Fact]
    public void Load_UrlWithCredentials_BecomesBasicAuthAndLeavesTheUrl()
    {
        var result = CatalogLoader.Load("""
            { "services": [ { "id": "s", "name": "S", "endpoints": [
                { "id": "web", "url": "https://us%40er:p%3Aw@example.org/x?token=t" } ] } ] }
            """);

        var endpoint = Assert.Single(Assert.Single(result.Catalog!.Services).Endpoints);
        Assert.Equal(new Uri("https://example.org/x?token=t"), endpoint.Url);
        Assert.Equal("", endpoint.Url!.UserInfo);
        // Percent-decoded before encoding, as Go's client does: "us@er:p:w".
        Assert.Equal("Basic " + Convert.ToBase64String("us@er:p:w"u8.ToArray()), endpoint.Headers["Authorization"]);
    }

    [Fact]
    public void Load_UrlWithCredentialsAndAuthorizationHeader_ErrorWithPath()
    {
        var result = CatalogLoader.Load("""
            { "services": [ { "id": "s", "name": "S", "endpoints": [
                { "id": "web", "url": "https://u:p@example.org/", "headers": { "authorization": "Bearer x" } } ] } ] }
            """);

        Assert.Null(result.Catalog);
        Assert.Contains(result.Errors, e => e.StartsWith("services[0].endpoints[0].url: has user:password and the endpoint also sets an Authorization header",
            StringComparison.Ordinal));
    }
}
