using System.Net;
using System.Net.Http;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Tests.Probing;

public class RedirectPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("64:ff9b::10.0.0.1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("0.0.0.0", "reserved")]
    [InlineData("::", "reserved")]
    [InlineData("100.64.0.1", "reserved")]
    [InlineData("224.0.0.1", "reserved")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("168.63.129.16", "reserved")]
    [InlineData("8.8.8.8", "public")]
    [InlineData("172.32.0.1", "public")]
    [InlineData("192.169.0.1", "public")]
    [InlineData("::ffff:8.8.8.8", "public")]
    [InlineData("64:ff9b::8.8.8.8", "public")]
    [InlineData("2606:4700:4700::1111", "public")]
    public void Classify_Address_Kind(string address, string expected)
    {
        Assert.Equal(expected, AddressScope.Describe(AddressScope.Classify(IPAddress.Parse(address))));
    }

    [Theory]
    [InlineData(null, "203.0.113.7", false)] // documentation range: not public, so a target there is internal
    [InlineData(null, "8.8.8.8", true)]
    [InlineData(null, "127.0.0.1", false)]
    [InlineData(null, "10.0.0.5", false)]
    [InlineData(null, null, true)]
    [InlineData(true, "8.8.8.8", false)]
    [InlineData(false, "127.0.0.1", true)]
    public void MustStayPublic_SettingAndAnsweringAddress_Decides(bool? allowPrivate, string? answeredFrom, bool expected)
    {
        var address = answeredFrom is null ? null : IPAddress.Parse(answeredFrom);

        Assert.Equal(expected, RedirectPolicy.MustStayPublic(allowPrivate, address));
    }

    [Theory]
    [InlineData("POST", true, 301, "https://a.example/next", "GET", false)]
    [InlineData("POST", true, 302, "/next", "GET", false)]
    [InlineData("PUT", true, 303, "/next", "GET", false)]
    [InlineData("HEAD", false, 303, "/next", "HEAD", false)]
    [InlineData("GET", false, 302, "http://b.example/x", "GET", false)]
    [InlineData("POST", true, 307, "/next", "POST", true)]
    [InlineData("POST", true, 308, "https://a.example:443/next", "POST", true)]
    [InlineData("DELETE", false, 307, "https://b.example/x", "DELETE", false)]
    public void Next_Redirect_MethodAndBodyAsGoDoes(string method, bool hasBody, int status, string location, string expectedMethod, bool expectedBody)
    {
        var origin = new Uri("https://a.example/start");
        var hop = new HttpHop(origin, new HttpMethod(method), true, true);

        var decision = RedirectPolicy.Next(origin, hop, status, new Uri(location, UriKind.RelativeOrAbsolute), hasBody);

        Assert.Null(decision.Error);
        Assert.Equal(expectedMethod, decision.Hop!.Method.Method);
        Assert.Equal(expectedBody, decision.Hop.WithBody);
    }

    [Theory]
    [InlineData(307, "https://b.example/x", "307 from a.example:443 to b.example:443 would re-send the request body to another host")]
    [InlineData(308, "https://a.example:8443/x", "308 from a.example:443 to a.example:8443 would re-send the request body to another host")]
    [InlineData(302, "ftp://a.example/file", "302 from a.example:443 points to a ftp: URL")]
    [InlineData(301, "javascript:alert(1)", "301 from a.example:443 points to a javascript: URL")]
    public void Next_RefusedRedirect_ErrorNamesHostsOnly(int status, string location, string expected)
    {
        var origin = new Uri("https://a.example/start?token=secret");
        var hop = new HttpHop(origin, HttpMethod.Post, true, true);

        var decision = RedirectPolicy.Next(origin, hop, status, new Uri(location), hasBody: true);

        Assert.Null(decision.Hop);
        Assert.StartsWith(expected, decision.Error);
        Assert.DoesNotContain("secret", decision.Error);
    }

    [Theory]
    [InlineData("https://a.example/x", true)]
    [InlineData("http://a.example/x", true)] // https → http on the default ports: the same site
    [InlineData("https://A.EXAMPLE/x", true)]
    [InlineData("https://a.example:8443/x", false)]
    [InlineData("https://b.example/x", false)]
    public void Next_Location_HeadersGoOnlyToTheOriginHost(string location, bool toOrigin)
    {
        var origin = new Uri("https://a.example/start");
        var hop = new HttpHop(origin, HttpMethod.Get, true, true);

        var decision = RedirectPolicy.Next(origin, hop, 302, new Uri(location), hasBody: false);

        Assert.Equal(toOrigin, decision.Hop!.ToOrigin);
    }

    [Fact]
    public void Next_LocationWithUserInfoAndFragment_NeitherIsFollowed()
    {
        var origin = new Uri("https://a.example/");

        var decision = RedirectPolicy.Next(origin, new HttpHop(origin, HttpMethod.Get, true, true), 302, new Uri("https://u:p@b.example/x?q=1#f"), false);

        Assert.Equal("https://b.example/x?q=1", decision.Hop!.Url.AbsoluteUri);
    }
}
