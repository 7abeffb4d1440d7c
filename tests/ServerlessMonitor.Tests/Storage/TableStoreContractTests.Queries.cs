using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Storage;

public abstract partial class TableStoreContractTests
{
    private async Task<string> TableWithRowsAsync(params string[] rowKeys)
    {
        var table = await NewTableAsync();
        await Store.SubmitBatchAsync(table, rowKeys.Select(rk => TableOperation.Insert(Row("p", rk, ("K", rk), ("X", 1)))).ToList());
        // A neighbouring partition with the same row keys must never leak into results.
        await Store.SubmitBatchAsync(table, rowKeys.Select(rk => TableOperation.Insert(Row("q", rk))).ToList());
        return table;
    }

    private async Task<List<string>> RowKeysAsync(string table, string pk, RowKeyRange range) =>
        await Store.QueryAllAsync(table, pk, range).Select(e => e.RowKey).ToListAsync();

    [Fact]
    public async Task Query_Prefix_ReturnsOnlyThatPrefixInOrder()
    {
        var table = await TableWithRowsAsync("result-2", "result-1", "state-eu", "result-3", "resulu", "rollup-h-1");
        Assert.Equal(["result-1", "result-2", "result-3"], await RowKeysAsync(table, "p", RowKeyRange.Prefix("result-")));
    }

    [Fact]
    public async Task Query_FromAndTo_FromInclusiveToExclusive()
    {
        var table = await TableWithRowsAsync("a", "b", "c", "d", "e");
        Assert.Equal(["b", "c"], await RowKeysAsync(table, "p", new RowKeyRange("b", "d")));
        Assert.Equal(["d", "e"], await RowKeysAsync(table, "p", new RowKeyRange("d", null)));
        Assert.Equal(["a", "b"], await RowKeysAsync(table, "p", new RowKeyRange(null, "c")));
        Assert.Equal(["a", "b", "c", "d", "e"], await RowKeysAsync(table, "p", RowKeyRange.All));
        Assert.Empty(await RowKeysAsync(table, "p", new RowKeyRange("x", "z")));
        Assert.Empty(await RowKeysAsync(table, "nobody", RowKeyRange.All));
    }

    [Fact]
    public async Task Query_Top_ReturnsOnePageAndAContinuation()
    {
        var table = await TableWithRowsAsync("a", "b", "c", "d", "e");
        var first = await Store.QueryAsync(table, "p", new RowKeyRange("b", null), top: 2);
        Assert.Equal(["b", "c"], first.Items.Select(e => e.RowKey));
        Assert.NotNull(first.ContinuationToken);

        var second = await Store.QueryAsync(table, "p", new RowKeyRange("b", null), top: 2, continuationToken: first.ContinuationToken);
        Assert.Equal(["d", "e"], second.Items.Select(e => e.RowKey));
    }

    [Fact]
    public async Task Query_Select_ReturnsOnlySelectedPropertiesWithKeysAndETag()
    {
        var table = await NewTableAsync();
        await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "r", ("A", "a"), ("B", 2), ("C", 3.5))));
        var page = await Store.QueryAsync(table, "p", RowKeyRange.All, select: ["B", "Missing"]);
        var e = Assert.Single(page.Items);
        Assert.Equal(("p", "r"), (e.PartitionKey, e.RowKey));
        Assert.False(string.IsNullOrEmpty(e.ETag));
        Assert.Equal(["B"], e.Properties.Keys);
        Assert.Equal(2, e.Get<int>("B"));
    }

    [Fact]
    public async Task QueryAll_2500Rows_ReturnsEveryRowInOrderAcrossPages()
    {
        var table = await NewTableAsync();
        var keys = Enumerable.Range(0, 2500).Select(i => $"result-{i:D5}").ToList();
        foreach (var chunk in keys.Chunk(TableStoreExtensions.MaxBatchOperations))
        {
            await Store.SubmitBatchAsync(table, chunk.Select(k => TableOperation.Insert(Row("p", k, ("I", int.Parse(k[7..]))))).ToList());
        }

        var first = await Store.QueryAsync(table, "p", RowKeyRange.All);
        Assert.Equal(1000, first.Items.Count);
        Assert.NotNull(first.ContinuationToken);
        var second = await Store.QueryAsync(table, "p", RowKeyRange.All, continuationToken: first.ContinuationToken);
        Assert.Equal("result-01000", second.Items[0].RowKey);

        var all = await Store.QueryAllAsync(table, "p", RowKeyRange.Prefix("result-")).ToListAsync();
        Assert.Equal(keys, all.Select(e => e.RowKey));
        Assert.Equal(Enumerable.Range(0, 2500), all.Select(e => e.Get<int>("I")));

        var middle = await RowKeysAsync(table, "p", new RowKeyRange("result-00999", "result-02001"));
        Assert.Equal(keys[999..2001], middle);
    }

    [Fact]
    public async Task Query_FilterInjectionInValues_ReturnsNothingExtra()
    {
        var table = await TableWithRowsAsync("a", "b");
        const string injection = "x' or PartitionKey ne 'x";
        Assert.Empty(await RowKeysAsync(table, injection, RowKeyRange.All));
        Assert.Empty(await RowKeysAsync(table, "p", new RowKeyRange(injection, injection + "z")));
        Assert.Empty(await RowKeysAsync(table, "p", new RowKeyRange("z", "z' or RowKey ge '")));
        Assert.Null(await Store.GetAsync(table, "p", injection));
        Assert.Null(await Store.GetAsync(table, injection, "a"));

        // The hostile string is still just a key: it can be stored and read back.
        await Store.ExecuteAsync(table, TableOperation.Insert(Row(injection, injection, ("V", injection))));
        Assert.Equal(injection, (await Store.GetAsync(table, injection, injection))!.GetString("V"));
        Assert.Equal([injection], await RowKeysAsync(table, injection, RowKeyRange.All));
        Assert.Equal(["a", "b"], await RowKeysAsync(table, "p", RowKeyRange.All));
    }
}
