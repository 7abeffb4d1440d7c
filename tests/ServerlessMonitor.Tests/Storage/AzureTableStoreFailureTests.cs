using System.Diagnostics.Tracing;
using System.Net;
using System.Text;
using Azure.Core.Diagnostics;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Tables;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>Error mapping, retries, limits and request shape, against a fake service.</summary>
public sealed class AzureTableStoreFailureTests
{
    private static TableEntity Row(string rk, params (string Name, object? Value)[] props) =>
        new("p", rk, props.ToDictionary(p => p.Name, p => p.Value));

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, "TooManyRequests", TableErrorKind.Throttled)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServerBusy", TableErrorKind.Throttled)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", TableErrorKind.Unavailable)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", TableErrorKind.Unavailable)]
    [InlineData(HttpStatusCode.RequestTimeout, "OperationTimedOut", TableErrorKind.Unavailable)]
    public async Task Get_TransientFailureThatPersists_RetriesThenMapsKind(HttpStatusCode status, string code, TableErrorKind kind)
    {
        var service = new FakeTableService(status, code);
        var e = await Assert.ThrowsAsync<TableStoreException>(() => service.CreateStore().GetAsync("t", "p", "r"));
        Assert.Equal(kind, e.Kind);
        Assert.Contains(code, e.Message);
        Assert.Equal(5, service.Requests.Count);  // the first attempt and 4 retries
    }

    [Fact]
    public async Task Insert_BadRequest_MessageCarriesServiceCodeAndText()
    {
        const string body = """{"odata.error":{"code":"PropertyValueTooLarge","message":{"lang":"en-US","value":"The property value exceeds the maximum allowed size (64KB).\nRequestId:1\nTime:2024"}}}""";
        var service = new FakeTableService(HttpStatusCode.BadRequest, "PropertyValueTooLarge", body);
        var e = await Assert.ThrowsAsync<TableStoreException>(() => service.CreateStore().ExecuteAsync("t", TableOperation.Insert(Row("r"))));
        Assert.Equal(TableErrorKind.BadRequest, e.Kind);
        Assert.Contains("PropertyValueTooLarge", e.Message);
        Assert.Contains("exceeds the maximum allowed size", e.Message);
        Assert.DoesNotContain("RequestId", e.Message);
        Assert.Single(service.Requests);  // 400 is not retried
    }

    [Fact]
    public async Task SubmitBatch_Over4MiB_IsRejectedBeforeSending()
    {
        var service = new FakeTableService(HttpStatusCode.Accepted);
        var blob = new byte[60 * 1024];
        var ops = Enumerable.Range(0, 100).Select(i => TableOperation.UpsertReplace(Row($"r{i}", ("B", blob)))).ToList();

        var e = await Assert.ThrowsAsync<TableStoreException>(() => service.CreateStore().SubmitBatchAsync("t", ops));

        Assert.Equal(TableErrorKind.BadRequest, e.Kind);
        Assert.Contains("4 MiB", e.Message);
        Assert.Empty(service.Requests);
    }

    [Fact]
    public async Task Update_WithoutETag_SendsIfMatchStarAndSignedHeaders()
    {
        var service = new FakeTableService(HttpStatusCode.NoContent);
        await service.CreateStore().ExecuteAsync("t", TableOperation.Update(Row("O'Brien 😀", ("N", 1))));

        var (request, body) = Assert.Single(service.Requests);
        Assert.Equal("PUT", request.Method.Method);
        Assert.Equal("/devstoreaccount1/t(PartitionKey='p',RowKey='O%27%27Brien%20%F0%9F%98%80')", request.RequestUri!.AbsolutePath);
        Assert.Equal("*", request.Headers.GetValues("If-Match").Single());
        // The SDK signs with the Table service's Shared Key Lite scheme.
        Assert.StartsWith("SharedKeyLite devstoreaccount1:", request.Headers.GetValues("Authorization").Single());
        Assert.Single(request.Headers.GetValues("x-ms-date"));
        // Whatever version the SDK speaks, it must be 2019-02-02 or later: the first that accepts Entra ID tokens.
        Assert.True(string.CompareOrdinal(request.Headers.GetValues("x-ms-version").Single(), "2019-02-02") >= 0);
        Assert.Contains("\"RowKey\":\"O\\u0027Brien", body);
    }

    [Fact]
    public async Task Requests_AreLoggedWithoutTheAuthorizationHeader()
    {
        var log = new StringBuilder();
        using (new AzureEventSourceListener((e, message) =>
        {
            lock (log)
            {
                log.AppendLine(message);
            }
        }, EventLevel.Verbose))
        {
            await new FakeTableService(HttpStatusCode.NotFound, "ResourceNotFound").CreateStore().GetAsync("t", "p", "r");
        }
        var text = log.ToString();
        Assert.Contains("x-ms-version", text);  // headers are logged …
        Assert.Contains("Authorization:REDACTED", text);  // … but not this one
        Assert.DoesNotContain("SharedKey", text);  // neither scheme's signature
        Assert.DoesNotContain(AzuriteFixture.AccountKey, text);
    }

    [Fact]
    public async Task Operations_NobodyListening_ThrowUnavailableAfterRetries()
    {
        var options = TableStoreClientOptions.Create();
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        var endpoint = $"http://127.0.0.1:{Support.AppProcess.FreePort()}/{AzuriteFixture.AccountName}";
        var store = TableStoreConnection.FromConnectionString(
            $"AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};TableEndpoint={endpoint}").CreateStore(options);

        foreach (var call in new Func<Task>[]
        {
            () => store.GetAsync("t", "p", "r"),
            () => store.QueryAsync("t", "p", RowKeyRange.All),
            () => store.ExecuteAsync("t", TableOperation.Insert(Row("r"))),
            () => store.SubmitBatchAsync("t", [TableOperation.Insert(Row("a")), TableOperation.Insert(Row("b"))]),
        })
        {
            var e = await Assert.ThrowsAsync<TableStoreException>(call);
            Assert.Equal(TableErrorKind.Unavailable, e.Kind);
            Assert.Contains("did not answer", e.Message);
            Assert.DoesNotContain(AzuriteFixture.AccountKey, e.ToString());
        }
    }
}
