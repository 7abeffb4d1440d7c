using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions;

/// <summary>Unsubscribe by id on the standalone app: the page, the form post, JSON, and no oracle.</summary>
public sealed class UnsubscribeApiTests
{
    private const string Catalog = """
        { "services": [ { "id": "unsub", "name": "Unsub", "category": "social", "endpoints": [ { "id": "web", "url": "https://127.0.0.1:1/" } ] } ] }
        """;

    [Fact]
    public async Task Page_KnownId_FormPostingToItselfWithStrictCspAndNoAddress()
    {
        await using var app = new MonitorAppFactory(Catalog);
        var subscription = await app.Services.GetRequiredService<SubscriptionStore>().AddAsync("email", "unsub", "who@example.com", CancellationToken.None);
        using var client = app.CreateClient();

        using var page = await client.GetAsync($"/api/subscriptions/{subscription.Id}/unsubscribe");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"<form method=\"post\" action=\"/api/subscriptions/{subscription.Id}/unsubscribe\">", html);
        Assert.DoesNotContain("who@example.com", html);
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; form-action 'self'; base-uri 'none'\">", html);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        // A GET changes nothing (mail scanners follow links).
        Assert.NotNull(await app.Services.GetRequiredService<SubscriptionStore>().FindAsync(subscription.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Post_FormOneClick_RemovedAndPageAnswer()
    {
        await using var app = new MonitorAppFactory(Catalog);
        var store = app.Services.GetRequiredService<SubscriptionStore>();
        var subscription = await store.AddAsync("push", "unsub", "{}", CancellationToken.None);
        using var client = app.CreateClient();

        using var answer = await client.PostAsync($"/api/subscriptions/{subscription.Id}/unsubscribe",
            new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("<h1>Unsubscribed</h1>", await answer.Content.ReadAsStringAsync());
        Assert.Null(await store.FindAsync(subscription.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Post_KnownAndUnknownId_SameJsonAnswer()
    {
        await using var app = new MonitorAppFactory(Catalog);
        var subscription = await app.Services.GetRequiredService<SubscriptionStore>().AddAsync("webhook", "unsub", "https://a.example/", CancellationToken.None);
        using var client = app.CreateClient();

        using var known = await client.PostAsync($"/api/subscriptions/{subscription.Id}/unsubscribe", null);
        using var unknown = await client.PostAsync("/api/subscriptions/AAAAAAAAAAAAAAAAAAAAAA/unsubscribe", null);

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        Assert.True(JsonDocument.Parse(await known.Content.ReadAsStringAsync()).RootElement.GetProperty("unsubscribed").GetBoolean());
    }

    [Fact]
    public async Task PageAndPost_MalformedId_404()
    {
        await using var app = new MonitorAppFactory(Catalog);
        using var client = app.CreateClient();

        using var page = await client.GetAsync("/api/subscriptions/short/unsubscribe");
        using var post = await client.PostAsync("/api/subscriptions/short/unsubscribe", null);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (page.StatusCode, post.StatusCode));
    }

    [Fact]
    public async Task Post_MoreThanPermitLimit_429WithRetryAfter()
    {
        await using var app = new MonitorAppFactory(Catalog, new Dictionary<string, string?> { ["Subscriptions:PermitLimit"] = "2" });
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var answer = await client.PostAsync("/api/subscriptions/AAAAAAAAAAAAAAAAAAAAAA/unsubscribe", null);
            statuses.Add(answer.StatusCode);
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(answer.Headers.RetryAfter is not null);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
