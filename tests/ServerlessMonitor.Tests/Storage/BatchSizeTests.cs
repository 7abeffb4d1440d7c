using System.Net;
using System.Text;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>
/// The 4 MiB rule is checked on our estimate, before the SDK writes the request: the estimate must
/// never be below what the SDK really sends, nor so far above that it refuses batches Azure takes.
/// </summary>
public sealed class BatchSizeTests
{
    // Keys may not hold control characters or \ / # ?; property values may.
    private const string AwkwardKey = "O'Brien \"quoted\" <tag> & + ` héllo 中文 😀 %20";
    private static readonly string Awkward = AwkwardKey + " back\\slash\ttab\u0001 " + new string('x', 40);

    public static TheoryData<string, int, int> Batches => new()
    {
        // name, operations, size of the big values
        { "small rows, awkward keys and every type", 100, 0 },
        { "large strings and blobs near the limit", 40, 40_000 },
    };

    [Theory]
    [MemberData(nameof(Batches))]
    public async Task UpperBound_RealisticBatch_IsAtLeastWhatTheSdkSendsAndClose(string name, int count, int bigValueSize)
    {
        var ops = Enumerable.Range(0, count).Select(i => Operation(i, bigValueSize)).ToList();
        var service = new FakeTableService(HttpStatusCode.Accepted);

        // The fake's empty answer is not a valid batch response; only the request matters here.
        await Record.ExceptionAsync(() => service.CreateStore().SubmitBatchAsync("t", ops));

        var sent = Encoding.UTF8.GetByteCount(Assert.Single(service.Requests).Body);
        var bound = BatchSize.UpperBound(ops);
        Assert.True(bound >= sent, $"{name}: estimated {bound} bytes, the SDK sent {sent}");
        // Generous only in the fixed per-operation part, which is small next to 4 MiB.
        Assert.True(bound <= sent * 1.1 + count * 1024, $"{name}: estimated {bound} bytes for {sent} sent");
    }

    private static TableOperation Operation(int i, int bigValueSize)
    {
        var props = TableStoreContractTests.EveryType.ToDictionary(p => p.Name, p => (object?)p.Value);
        props["Awkward"] = Awkward;
        props["Big"] = bigValueSize == 0 ? null : string.Concat(Enumerable.Repeat(Awkward, bigValueSize / Awkward.Length / 4));
        props["Blob"] = new byte[bigValueSize / 2];
        var entity = new TableEntity(AwkwardKey, $"{AwkwardKey}-{i:D3}", props) { ETag = "W/\"datetime'2024-05-06T07%3A08%3A09.1234567Z'\"" };
        return (i % 4) switch
        {
            0 => TableOperation.Insert(entity),
            1 => TableOperation.UpsertMerge(entity),
            2 => TableOperation.Update(entity),
            _ => TableOperation.UpsertReplace(entity),
        };
    }
}
