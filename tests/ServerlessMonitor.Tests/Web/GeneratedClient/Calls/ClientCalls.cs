// Not part of the test project's build: compiled at test time together with the client Kiota generates from the
// served document (GeneratedClientTests), so every call below is checked against that document's types.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Generated.Monitor;
using Generated.Monitor.Models;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Generated.Monitor.Calls;

public static class ClientCalls
{
    /// <summary>One call per public operation, each reading a typed field of its answer; one line per call.</summary>
    public static async Task<List<string>> CallEveryOperationAsync(HttpClient http, string baseUrl, string service, string endpoint, string pushToken,
        string confirmToken, string pushP256dh, string pushAuth, string webhookUrl)
    {
        var client = Create(http, baseUrl);
        var api = client.Api;
        var lines = new List<string>();
        await client.GetAsync();
        lines.Add("page");
        lines.Add($"health {(await api.Health.GetAsync())!.Status}");
        lines.Add($"status {string.Join(",", (await api.Status.GetAsync())!.Services!.Select(s => s.Id))}");
        var one = (await api.Status[service].GetAsync())!;
        lines.Add($"service {one.Id} endpoints={string.Join(",", one.Endpoints!.Select(e => e.Id))}");
        var byService = api.Services[service];
        lines.Add($"incidents {(await byService.Incidents.GetAsync(c => c.QueryParameters.From = "2026-01-01"))!.Service}");
        lines.Add($"checks {(await byService.Checks.GetAsync(c => { c.QueryParameters.Endpoint = endpoint; c.QueryParameters.Limit = "5"; }))!.Service}");
        lines.Add($"uptime {(await byService.Uptime.GetAsync(c => c.QueryParameters.Days = "7"))!.Service}");
        lines.Add($"compare {(await api.Compare.GetAsync(c => c.QueryParameters.Days = "7"))!.Services!.Count}");
        var accepted = (await byService.Reports.PostAsync(new ReportInput { Kind = "app", Message = "generated client" }))!;
        lines.Add($"report accepted={accepted.Accepted}");
        lines.Add($"reports {(await byService.Reports.GetAsync(c => c.QueryParameters.Hours = "24"))!.Service}");
        await api.Badges[service].WithKindSvg("status").GetAsync();
        lines.Add("badge");
        await api.FeedAtom.GetAsync();
        lines.Add("feed");
        lines.Add($"push ok={(await api.Push[pushToken].GetAsync())!.Ok}");
        lines.Add($"push-post ok={(await api.Push[pushToken].PostAsync())!.Ok}");
        lines.Add($"push-signal ok={(await api.Push[pushToken]["start"].GetAsync())!.Ok}");
        lines.Add($"push-signal-post ok={(await api.Push[pushToken]["0"].PostAsync())!.Ok}");
        // Any well-formed id: the answer is the same whether it existed or not.
        var unsubscribe = api.Subscriptions["AAAAAAAAAAAAAAAAAAAAAA"].Unsubscribe;
        await unsubscribe.GetAsync();
        lines.Add($"unsubscribe unsubscribed={(await unsubscribe.PostAsync())!.Unsubscribed}");
        var email = api.Subscriptions.Email;
        lines.Add($"email accepted={(await email.PostAsync(new EmailSubscribeBody { Email = "reader@example.com", Service = service }))!.Accepted}");
        await email.Confirm.GetAsync(c => c.QueryParameters.Token = confirmToken);
        await email.Confirm.PostAsync(new EmailConfirmBody { Token = confirmToken });
        lines.Add("email confirmed");
        await client.Services[service].GetAsync();
        lines.Add("service page");
        var push = api.Subscriptions.Push;
        lines.Add($"push key={(await push.Key.GetAsync())!.PublicKey!.Length > 0}");
        await push.SwJs.GetAsync();
        lines.Add("push worker");
        var subscribed = (await byService.Subscriptions.Push.PostAsync(new PushSubscriptionBody
        {
            Endpoint = "https://push.example.com/send/generated-client",
            Keys = new PushSubscriptionBody_keys { P256dh = pushP256dh, Auth = pushAuth },
        }))!;
        lines.Add($"push subscribed service={subscribed.Service}");
        var hook = (await api.Subscriptions.Webhook.PostAsync(new WebhookSubscribeBody { Service = service, Url = webhookUrl }))!;
        lines.Add($"webhook subscribed service={hook.Service} secret={!string.IsNullOrEmpty(hook.Secret)}");
        return lines;
    }

    /// <summary>An unknown service: the client throws the document's Problem type.</summary>
    public static async Task<(int Status, string? Title, string? Detail, string? Parameter, int? RetryAfterSeconds)> UnknownServiceAsync(HttpClient http, string baseUrl)
    {
        try
        {
            await Create(http, baseUrl).Api.Status["no-such-service"].GetAsync();
            return (0, null, null, null, null);
        }
        catch (Problem problem)
        {
            return (problem.ResponseStatusCode, problem.Title, problem.Detail, problem.Parameter, problem.RetryAfterSeconds);
        }
    }

    /// <summary>Reads the status until the rate limit answers: the client throws the Problem with its Retry-After.</summary>
    public static async Task<(int Status, string? Title, int? RetryAfterSeconds, string? RetryAfterHeader, int Calls)> UntilRateLimitedAsync(HttpClient http, string baseUrl, int maxCalls)
    {
        var status = Create(http, baseUrl).Api.Status;
        for (var calls = 1; calls <= maxCalls; calls++)
        {
            try
            {
                await status.GetAsync();
            }
            catch (Problem problem)
            {
                var header = problem.ResponseHeaders.TryGetValue("Retry-After", out var values) ? values.FirstOrDefault() : null;
                return (problem.ResponseStatusCode, problem.Title, problem.RetryAfterSeconds, header, calls);
            }
        }
        return (0, null, null, null, maxCalls);
    }

    private static MonitorClient Create(HttpClient http, string baseUrl) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = baseUrl });
}
