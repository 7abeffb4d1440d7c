using Microsoft.AspNetCore.Http;
using ServerlessMonitor.Tests.Alerts;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>What a fake provider answers: status, body, and Retry-After when it throttles.</summary>
public sealed record FakeAnswer(int Status, string Body = "", string? RetryAfter = null)
{
    public bool Accepted => Status is >= 200 and < 300;
}

/// <summary>
/// A provider on loopback (a real Kestrel server): each request goes through <see cref="Fault"/> first (a test's
/// injected outage), then the provider's own checks (<see cref="ProviderRules"/>), which answer as the real one
/// does. Accepted and rejected requests are kept apart, so a test can assert that nothing was refused.
/// </summary>
public sealed class ProviderFake : IAsyncDisposable
{
    private readonly List<ReceivedRequest> _accepted = [];
    private readonly List<string> _rejected = [];
    private LoopbackReceiver _receiver = null!;

    public Uri Url => _receiver.Url;

    public Func<ReceivedRequest, FakeAnswer?>? Fault { get; set; }

    public IReadOnlyList<ReceivedRequest> Accepted
    {
        get
        {
            lock (_accepted)
            {
                return [.. _accepted];
            }
        }
    }

    /// <summary>The provider's error answers to requests that broke its rules (not injected faults).</summary>
    public IReadOnlyList<string> Rejected
    {
        get
        {
            lock (_accepted)
            {
                return [.. _rejected];
            }
        }
    }

    public int Requests => _receiver.Requests.Count;

    public static async Task<ProviderFake> StartAsync(Func<ReceivedRequest, FakeAnswer> rules)
    {
        var fake = new ProviderFake();
        fake._receiver = await LoopbackReceiver.StartAsync(async (request, response) =>
        {
            var answer = fake.Fault?.Invoke(request);
            if (answer is null)
            {
                answer = rules(request);
                lock (fake._accepted)
                {
                    (answer.Accepted ? (System.Collections.IList)fake._accepted : fake._rejected).Add(answer.Accepted ? request : $"{request.PathAndQuery}: {answer.Status} {answer.Body}");
                }
            }
            response.StatusCode = answer.Status;
            if (answer.RetryAfter is { } retry)
            {
                response.Headers.RetryAfter = retry;
            }
            if (answer.Body.Length > 0)
            {
                response.ContentType = answer.Body.StartsWith('{') ? "application/json" : "text/plain";
                await response.WriteAsync(answer.Body);
            }
        });
        return fake;
    }

    public ValueTask DisposeAsync() => _receiver.DisposeAsync();
}
