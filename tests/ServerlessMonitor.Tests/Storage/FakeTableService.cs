using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using ServerlessMonitor.Storage.Tables;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>Answers every request with a fixed response, recording what was sent; for failure paths Azurite can't produce.</summary>
internal sealed class FakeTableService(HttpStatusCode status, string? errorCode = null, string body = "") : HttpMessageHandler
{
    public List<(HttpRequestMessage Request, string Body)> Requests { get; } = [];

    public AzureTableStore CreateStore()
    {
        var options = TableStoreClientOptions.Create();
        options.Transport = new HttpClientTransport(new HttpClient(this));
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        return TableStoreConnection.FromConnectionString("UseDevelopmentStorage=true").CreateStore(options);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add((request, sent));
        }
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (errorCode is not null)
        {
            response.Headers.Add("x-ms-error-code", errorCode);
        }
        response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"fake\"", isWeak: true);
        return response;
    }
}
