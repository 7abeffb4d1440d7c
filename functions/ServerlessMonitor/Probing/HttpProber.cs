using System.Net.Http;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Probing;

/// <summary>
/// Probes http(s) endpoints over four shared connection pools, one per (follow redirects, insecure
/// TLS) combination, created once: a probe never creates its own client.
/// </summary>
internal sealed class HttpProber(IOptions<ProbingOptions> options, TimeProvider time) : IProber, IDisposable
{
    private readonly ProbingOptions settings = options.Value;
    private readonly PooledHttpHandler[] handlers =
    [
        new(options.Value, time, followRedirects: false, insecureTls: false),
        new(options.Value, time, followRedirects: true, insecureTls: false),
        new(options.Value, time, followRedirects: false, insecureTls: true),
        new(options.Value, time, followRedirects: true, insecureTls: true),
    ];

    public EndpointKind Kind => EndpointKind.Http;

    public async Task<ProbeResponse> ProbeAsync(EndpointDefinition endpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var url = endpoint.Url ?? throw new ArgumentException($"Endpoint '{endpoint.Id}' has no URL.", nameof(endpoint));
        var handler = handlers[(endpoint.FollowRedirects ? 1 : 0) + (endpoint.InsecureTls ? 2 : 0)];
        var target = $"{url.IdnHost}:{url.Port}";

        using var scope = new ProbeScope(time, endpoint.Timeout, ct);
        using var request = HttpRequestFactory.Create(endpoint, url, settings.UserAgent);
        var trace = ProbeTrace.AttachTo(request);
        HttpResponseMessage? response = null;
        TimeSpan? firstByte = null;
        try
        {
            response = await handler.Invoker.SendAsync(request, scope.Token).ConfigureAwait(false);
            // SocketsHttpHandler returns as soon as the headers are parsed: the closest observable
            // point to the first byte of the response.
            firstByte = scope.Elapsed;
            var (body, truncated) = await CappedBodyReader.ReadAsync(response.Content, settings.MaxBodyBytes, scope.Token).ConfigureAwait(false);
            return Observed(response, trace, handler, url, firstByte, scope.Elapsed) with { Body = body, BodyTruncated = truncated };
        }
        catch (Exception ex)
        {
            var (kind, message) = scope.Explain(ex, target);
            var observed = response is null
                ? Unanswered(trace, firstByte, scope.Elapsed)
                : Observed(response, trace, handler, url, firstByte, scope.Elapsed);
            return observed with { Error = message, ErrorKind = kind };
        }
        finally
        {
            response?.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var handler in handlers)
        {
            handler.Dispose();
        }
    }

    private ProbeResponse Observed(HttpResponseMessage response, ProbeTrace trace, PooledHttpHandler handler, Uri url, TimeSpan? firstByte, TimeSpan total)
    {
        var facts = trace.Facts;
        if (facts.Connect is null)
        {
            // A pooled connection served the request: no new timings, but the same peer and certificate.
            var reused = handler.LastConnection(response.RequestMessage?.RequestUri ?? url);
            facts = facts with { Ip = reused.Ip, CertificateExpiry = reused.CertificateExpiry };
        }
        return new ProbeResponse
        {
            Connected = true,
            StatusCode = (int)response.StatusCode,
            Timings = new ProbeTimings(facts.Dns, facts.Connect, facts.Tls, firstByte, total),
            Ip = facts.Ip,
            CertificateExpiry = facts.CertificateExpiry,
            RetryAfter = RetryAfter(response.Headers.RetryAfter),
        };
    }

    // No response: what the connection attempt got to (an untrusted certificate still has an expiry).
    private static ProbeResponse Unanswered(ProbeTrace trace, TimeSpan? firstByte, TimeSpan total)
    {
        var facts = trace.Facts;
        return new ProbeResponse
        {
            Connected = false,
            Timings = new ProbeTimings(facts.Dns, facts.Connect, facts.Tls, firstByte, total),
            Ip = facts.Ip,
            CertificateExpiry = facts.CertificateExpiry,
        };
    }

    // Retry-After is either seconds or an HTTP date; a date in the past means "now".
    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => (date - time.GetUtcNow()) is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
