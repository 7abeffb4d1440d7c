using System.Net.Http;
using System.Text;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Probing;

/// <summary>Builds the request an http endpoint describes.</summary>
internal static class HttpRequestFactory
{
    public static HttpRequestMessage Create(EndpointDefinition endpoint, Uri url, string userAgent)
    {
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method.ToUpperInvariant()), url);
        if (endpoint.Body is not null)
        {
            request.Content = new StringContent(endpoint.Body, Encoding.UTF8);
        }
        foreach (var (name, value) in endpoint.Headers)
        {
            // Content headers (Content-Type …) are refused on the request itself and belong to the body.
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
