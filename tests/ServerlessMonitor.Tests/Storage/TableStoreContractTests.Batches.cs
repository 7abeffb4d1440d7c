using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Storage;

public abstract partial class TableStoreContractTests
{
    [Fact]
    public async Task SubmitBatch_MixedOperations_AppliesAllAndReturnsETagsInOrder()
    {
        var table = await NewTableAsync();
        await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "old", ("A", "a"))));
        await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "doomed")));

        var etags = await Store.SubmitBatchAsync(table,
        [
            TableOperation.Insert(Row("p", "new", ("N", 1))),
            TableOperation.UpsertMerge(Row("p", "old", ("B", "b"))),
            TableOperation.Delete("p", "doomed"),
            TableOperation.UpsertReplace(Row("p", "other", ("C", 3L))),
        ]);

        Assert.Equal(4, etags.Count);
        Assert.All(new[] { etags[0], etags[1], etags[3] }, e => Assert.False(string.IsNullOrEmpty(e)));
        Assert.Null(etags[2]);
        Assert.Equal(etags[0], (await Store.GetAsync(table, "p", "new"))!.ETag);
        var old = await Store.GetAsync(table, "p", "old");
        Assert.Equal(("a", "b"), (old!.GetString("A"), old.GetString("B")));
        Assert.Null(await Store.GetAsync(table, "p", "doomed"));
    }

    [Fact]
    public async Task SubmitBatch_ThirdOperationConflicts_AppliesNothingAndReportsIndex()
    {
        var table = await NewTableAsync();
        await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "c", ("V", "original"))));
        await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "b", ("V", "original"))));

        var e = await Assert.ThrowsAsync<TableStoreException>(() => Store.SubmitBatchAsync(table,
        [
            TableOperation.Insert(Row("p", "a", ("V", "new"))),
            TableOperation.UpsertReplace(Row("p", "b", ("V", "new"))),
            TableOperation.Insert(Row("p", "c", ("V", "new"))),
            TableOperation.Insert(Row("p", "d", ("V", "new"))),
        ]));

        Assert.Equal(TableErrorKind.Conflict, e.Kind);
        Assert.Equal(2, e.FailedOperationIndex);
        Assert.Null(await Store.GetAsync(table, "p", "a"));
        Assert.Equal("original", (await Store.GetAsync(table, "p", "b"))!.GetString("V"));
        Assert.Null(await Store.GetAsync(table, "p", "d"));
    }

    [Fact]
    public async Task SubmitBatch_StaleETagInSecondOperation_AppliesNothingAndReportsIndex()
    {
        var table = await NewTableAsync();
        var stale = await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "s", ("N", 1))));
        await Store.ExecuteAsync(table, TableOperation.UpsertReplace(Row("p", "s", ("N", 2))));

        var e = await Assert.ThrowsAsync<TableStoreException>(() => Store.SubmitBatchAsync(table,
        [
            TableOperation.Insert(Row("p", "result-1")),
            TableOperation.Update(Row("p", "s", ("N", 3)) with { ETag = stale }),
        ]));

        Assert.Equal(TableErrorKind.PreconditionFailed, e.Kind);
        Assert.Equal(1, e.FailedOperationIndex);
        Assert.Null(await Store.GetAsync(table, "p", "result-1"));
        Assert.Equal(2, (await Store.GetAsync(table, "p", "s"))!.Get<int>("N"));
    }

    [Fact]
    public async Task SubmitBatch_Over100Operations_IsRejectedNamingTheLimit()
    {
        var table = await NewTableAsync();
        var ops = Enumerable.Range(0, 101).Select(i => TableOperation.Insert(Row("p", $"r{i:D3}"))).ToList();
        var e = await Assert.ThrowsAsync<TableStoreException>(() => Store.SubmitBatchAsync(table, ops));
        Assert.Equal(TableErrorKind.BadRequest, e.Kind);
        Assert.Contains("100", e.Message);
        Assert.Empty((await Store.QueryAsync(table, "p", RowKeyRange.All)).Items);
    }

    [Fact]
    public async Task SubmitBatch_Exactly100Operations_Succeeds()
    {
        var table = await NewTableAsync();
        var ops = Enumerable.Range(0, 100).Select(i => TableOperation.Insert(Row("p", $"r{i:D3}", ("I", i)))).ToList();
        Assert.Equal(100, (await Store.SubmitBatchAsync(table, ops)).Count);
        Assert.Equal(100, (await Store.QueryAsync(table, "p", RowKeyRange.All)).Items.Count);
    }

    [Fact]
    public async Task SubmitBatch_Over4MiB_IsRejectedNamingTheLimit()
    {
        var table = await NewTableAsync();
        var blob = new byte[60 * 1024];
        var ops = Enumerable.Range(0, 100).Select(i => TableOperation.Insert(Row("p", $"r{i:D3}", ("B", blob)))).ToList();
        var e = await Assert.ThrowsAsync<TableStoreException>(() => Store.SubmitBatchAsync(table, ops));
        Assert.Equal(TableErrorKind.BadRequest, e.Kind);
        Assert.Contains("4 MiB", e.Message);
        Assert.Empty((await Store.QueryAsync(table, "p", RowKeyRange.All)).Items);
    }

    [Fact]
    public async Task SubmitBatch_AcrossPartitions_IsRejected()
    {
        var table = await NewTableAsync();
        var e = await Assert.ThrowsAsync<TableStoreException>(() => Store.SubmitBatchAsync(table,
            [TableOperation.Insert(Row("p1", "r")), TableOperation.Insert(Row("p2", "r"))]));
        Assert.Equal(TableErrorKind.BadRequest, e.Kind);
        Assert.Equal(1, e.FailedOperationIndex);
        Assert.Null(await Store.GetAsync(table, "p1", "r"));
    }

    [Fact]
    public async Task SubmitBatch_Empty_IsRejected()
    {
        var table = await NewTableAsync();
        var e = await Assert.ThrowsAsync<TableStoreException>(() => Store.SubmitBatchAsync(table, []));
        Assert.Equal(TableErrorKind.BadRequest, e.Kind);
    }
}
