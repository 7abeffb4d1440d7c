using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Probing;

/// <summary>
/// Probes http(s) endpoints over four shared connection pools, one per (insecure TLS, public addresses
/// only) combination, created once: a probe never creates its own client. Redirects are followed here,
/// hop by hop under <see cref="RedirectPolicy"/>; once the target has answered from a public address the
/// remaining hops go through a public-only pool.
/// </summary>
internal sealed class HttpProber(IOptions<ProbingOptions> options, TimeProvider time, ProbeHttpDiagnostics diagnostics) : IProber, IDisposable
{
    private readonly ProbingOptions settings = options.Value;
    private readonly BodyBuffers buffers = new(options.Value.MaxBodyBytes);
    private readonly PooledHttpHandler[] handlers =
    [
        new(options.Value, time, insecureTls: false, publicOnly: false, diagnostics),
        new(options.Value, time, insecureTls: true, publicOnly: false, diagnostics),
        new(options.Value, time, insecureTls: false, publicOnly: true, diagnostics),
        new(options.Value, time, insecureTls: true, publicOnly: true, diagnostics),
    ];

    public EndpointKind Kind => EndpointKind.Http;

    public async Task<ProbeResponse> ProbeAsync(EndpointDefinition endpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var url = endpoint.Url ?? throw new ArgumentException($"Endpoint '{endpoint.Id}' has no URL.", nameof(endpoint));
        var target = RedirectPolicy.Authority(url);
        var handler = Pool(endpoint, publicOnly: false);
        var hop = HttpRequestFactory.FirstHop(endpoint, url);

        using var scope = new ProbeScope(time, endpoint.Timeout, ct);
        HttpRequestMessage? request = null;
        HttpResponseMessage? response = null;
        ProbeTrace? trace = null;
        TimeSpan? firstByte = null;
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                request = HttpRequestFactory.Create(endpoint, hop, settings.UserAgent);
                trace = ProbeTrace.AttachTo(request);
                response = await handler.Invoker.SendAsync(request, scope.Token).ConfigureAwait(false);
                // SocketsHttpHandler returns as soon as the headers are parsed: the closest observable
                // point to the first byte of the response.
                firstByte = scope.Elapsed;
                if (Redirect(endpoint, url, hop, response, redirects) is not { } decision)
                {
                    break;
                }
                if (decision.Hop is not { } next)
                {
                    return Observed(response, trace, handler, hop.Url, firstByte, scope.Elapsed) with { Error = decision.Error, ErrorKind = ErrorKind.Redirects };
                }
                if (redirects == 0)
                {
                    handler = Pool(endpoint, RedirectPolicy.MustStayPublic(endpoint.AllowPrivateRedirects, AnsweredFrom(response, trace, handler, hop.Url)));
                }
                // The redirect's own body is not wanted; disposing drops or drains it within the handler's limits.
                response.Dispose();
                response = null;
                request.Dispose();
                hop = next;
            }
            if (!NeedsBody(endpoint))
            {
                // No condition reads the body: disposing the unread response drains a small rest for the pool or drops the connection.
                return Observed(response, trace, handler, hop.Url, firstByte, scope.Elapsed);
            }
            var body = await CappedBodyReader.ReadAsync(response.Content, settings.MaxBodyBytes, settings.KeepBodyBytes, buffers, scope.Token).ConfigureAwait(false);
            return Observed(response, trace, handler, hop.Url, firstByte, scope.Elapsed) with
            {
                Body = body.Body, BodyTruncated = body.Truncated, BodyExcerpt = body.Excerpt,
            };
        }
        catch (Exception ex)
        {
            var (kind, message) = scope.Explain(ex, target);
            var observed = response is null
                ? Unanswered(trace, firstByte, scope.Elapsed)
                : Observed(response, trace!, handler, hop.Url, firstByte, scope.Elapsed);
            return observed with { Error = message, ErrorKind = kind };
        }
        finally
        {
            response?.Dispose();
            request?.Dispose();
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

    /// <summary>Null when <paramref name="response"/> is the final answer; otherwise the next hop or why there is none.</summary>
    private static RedirectDecision? Redirect(EndpointDefinition endpoint, Uri url, HttpHop hop, HttpResponseMessage response, int followed)
    {
        if (!endpoint.FollowRedirects || !RedirectPolicy.IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
        {
            return null;
        }
        return followed == RedirectPolicy.MaxRedirects
            ? new RedirectDecision(null, $"more than {RedirectPolicy.MaxRedirects} redirects (a loop?); the last was from {RedirectPolicy.Authority(hop.Url)}")
            : RedirectPolicy.Next(url, hop, (int)response.StatusCode, location, endpoint.Body is not null && hop.WithBody);
    }

    private static bool NeedsBody(EndpointDefinition endpoint) =>
        endpoint.Conditions.Any(c => c.ReadsBody) || endpoint.DegradedWhen.Any(c => c.ReadsBody);

    private PooledHttpHandler Pool(EndpointDefinition endpoint, bool publicOnly) =>
        handlers[(endpoint.InsecureTls ? 1 : 0) + (publicOnly ? 2 : 0)];

    // The address the response came from: the new connection's, or the pooled one's it reused.
    private static IPAddress? AnsweredFrom(HttpResponseMessage response, ProbeTrace trace, PooledHttpHandler handler, Uri url) =>
        IPAddress.TryParse(trace.Facts.Ip ?? handler.LastConnection(response.RequestMessage?.RequestUri ?? url).Ip, out var address) ? address : null;

    // No response: what the connection attempt got to (an untrusted certificate still has an expiry).
    private static ProbeResponse Unanswered(ProbeTrace? trace, TimeSpan? firstByte, TimeSpan total)
    {
        var facts = trace?.Facts ?? ConnectionFacts.None;
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
