using System.Net.Http;
using System.Text;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Probing;

/// <summary>Builds the requests an http endpoint describes: its own, and one per redirect followed.</summary>
internal static class HttpRequestFactory
{
    // What a redirect to another host still carries of the catalog headers: nothing that could be a secret.
    private static readonly HashSet<string> CrossHostHeaders = new(StringComparer.OrdinalIgnoreCase) { "User-Agent", "Accept", "Accept-Language" };

    public static HttpHop FirstHop(EndpointDefinition endpoint, Uri url) =>
        new(url, new HttpMethod(endpoint.Method.ToUpperInvariant()), WithBody: true, ToOrigin: true);

    /// <summary>Marks a probe's request, so telemetry can tell it from the monitor's own calls (Telemetry:ProbeSpans).</summary>
    public static readonly HttpRequestOptionsKey<bool> ProbeRequest = new("serverlessmonitor.probe");

    public static HttpRequestMessage Create(EndpointDefinition endpoint, HttpHop hop, string userAgent)
    {
        var request = new HttpRequestMessage(hop.Method, hop.Url);
        request.Options.Set(ProbeRequest, true);
        if (endpoint.Body is not null && hop.WithBody)
        {
            request.Content = new StringContent(endpoint.Body, Encoding.UTF8);
        }
        foreach (var (name, value) in endpoint.Headers)
        {
            if (!hop.ToOrigin && !CrossHostHeaders.Contains(name))
            {
                continue;
            }
            // Content headers (Content-Type …) are refused on the request itself and belong to the body.
            // Values were checked when the catalog was loaded (HeaderRules: no CR/LF), hence no validation here.
            if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content is { } content)
            {
                content.Headers.Remove(name);
                content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        if (!request.Headers.Contains("User-Agent"))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }
        return request;
    }
}
