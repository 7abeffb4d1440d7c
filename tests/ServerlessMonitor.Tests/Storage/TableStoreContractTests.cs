using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="ITableStore"/> must have, run against SQLite and Azurite alike.
/// Each test creates its own table, so tests are independent of order and of each other.
/// </summary>
public abstract partial class TableStoreContractTests
{
    protected abstract ITableStore Store { get; }

    protected async Task<string> NewTableAsync()
    {
        // Azure table names: letters and digits, starting with a letter, 3–63 characters.
        var table = "t" + Guid.NewGuid().ToString("N")[..24];
        await Store.CreateTableIfNotExistsAsync(table);
        return table;
    }

    protected static TableEntity Row(string pk, string rk, params (string Name, object? Value)[] props) =>
        new(pk, rk, props.ToDictionary(p => p.Name, p => p.Value));

    [Fact]
    public async Task CreateTableIfNotExists_CalledTwice_Succeeds()
    {
        var table = await NewTableAsync();
        await Store.CreateTableIfNotExistsAsync(table);
        await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "r")));
        await Store.CreateTableIfNotExistsAsync(table);
        Assert.NotNull(await Store.GetAsync(table, "p", "r"));
    }

    [Fact]
    public async Task Get_MissingRow_ReturnsNull()
    {
        var table = await NewTableAsync();
        Assert.Null(await Store.GetAsync(table, "p", "missing"));
    }

    [Fact]
    public async Task Get_MissingTable_ThrowsNotFound()
    {
        var e = await Assert.ThrowsAsync<TableStoreException>(() => Store.GetAsync("t" + Guid.NewGuid().ToString("N")[..24], "p", "r"));
        Assert.Equal(TableErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Insert_NewRow_ReturnsETagAndTimestamp()
    {
        var table = await NewTableAsync();
        var etag = await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "r", ("A", "a"))));
        var read = await Store.GetAsync(table, "p", "r");
        Assert.NotNull(read);
        Assert.False(string.IsNullOrEmpty(etag));
        Assert.Equal(etag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.Equal("a", read.GetString("A"));
    }

    [Fact]
    public async Task Insert_ExistingRow_ThrowsConflict()
    {
        var table = await NewTableAsync();
        await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "r", ("A", "first"))));
        var e = await Assert.ThrowsAsync<TableStoreException>(() => Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "r", ("A", "second")))));
        Assert.Equal(TableErrorKind.Conflict, e.Kind);
        Assert.Equal("first", (await Store.GetAsync(table, "p", "r"))!.GetString("A"));
    }

    [Fact]
    public async Task ConcurrentBatches_OneFailing_FailsAloneAndTheOthersCommit()
    {
        // SQLite writes concurrent batches in one group transaction: a failing batch must still be all-or-nothing
        // on its own and must not take the batches written beside it down with it.
        var table = await NewTableAsync();
        await Store.ExecuteAsync(table, TableOperation.Insert(Row("p7", "taken", ("A", "original"))));
        var batches = Enumerable.Range(0, 40).Select(i => Store.SubmitBatchAsync(table,
        [
            TableOperation.Insert(Row($"p{i}", "first", ("N", i))),
            TableOperation.UpsertMerge(Row($"p{i}", "second", ("N", i))),
            TableOperation.Insert(Row($"p{i}", "taken", ("A", "new"))),
        ])).ToList();

        var failed = await Assert.ThrowsAsync<TableStoreException>(() => batches[7]);
        Assert.Equal(TableErrorKind.Conflict, failed.Kind);
        Assert.Equal(2, failed.FailedOperationIndex);
        Assert.Null(await Store.GetAsync(table, "p7", "first"));
        Assert.Null(await Store.GetAsync(table, "p7", "second"));
        Assert.Equal("original", (await Store.GetAsync(table, "p7", "taken"))!.GetString("A"));
        foreach (var i in Enumerable.Range(0, 40).Where(i => i != 7))
        {
            Assert.Equal(3, (await batches[i]).Count);
            Assert.Equal(i, (await Store.GetAsync(table, $"p{i}", "second"))!.Get<int>("N"));
        }
    }

    [Fact]
    public async Task Update_StaleETag_ThrowsPreconditionFailedAndChangesNothing()
    {
        var table = await NewTableAsync();
        var stale = await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "r", ("N", 1))));
        await Store.ExecuteAsync(table, TableOperation.Update(Row("p", "r", ("N", 2)) with { ETag = stale }));

        var e = await Assert.ThrowsAsync<TableStoreException>(() =>
            Store.ExecuteAsync(table, TableOperation.Update(Row("p", "r", ("N", 3)) with { ETag = stale })));

        Assert.Equal(TableErrorKind.PreconditionFailed, e.Kind);
        Assert.Equal(2, (await Store.GetAsync(table, "p", "r"))!.Get<int>("N"));
    }

    [Fact]
    public async Task Update_CurrentETag_ReplacesRowAndReturnsNewETag()
    {
        var table = await NewTableAsync();
        await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "r", ("N", 1), ("Gone", "x"))));
        var current = await Store.GetAsync(table, "p", "r");

        var etag = await Store.ExecuteAsync(table, TableOperation.Update(Row("p", "r", ("N", 2)) with { ETag = current!.ETag }));

        var read = await Store.GetAsync(table, "p", "r");
        Assert.NotEqual(current.ETag, etag);
        Assert.Equal(etag, read!.ETag);
        Assert.Equal(2, read.Get<int>("N"));
        Assert.False(read.Properties.ContainsKey("Gone"));
    }

    [Fact]
    public async Task Update_WildcardOrNoETag_UpdatesUnconditionally()
    {
        var table = await NewTableAsync();
        await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "r", ("N", 1))));
        await Store.ExecuteAsync(table, TableOperation.Update(Row("p", "r", ("N", 2)) with { ETag = "*" }));
        await Store.ExecuteAsync(table, TableOperation.Update(Row("p", "r", ("N", 3))));
        Assert.Equal(3, (await Store.GetAsync(table, "p", "r"))!.Get<int>("N"));
    }

    [Fact]
    public async Task Update_MissingRow_ThrowsNotFound()
    {
        var table = await NewTableAsync();
        var e = await Assert.ThrowsAsync<TableStoreException>(() => Store.ExecuteAsync(table, TableOperation.Update(Row("p", "nope", ("N", 1)))));
        Assert.Equal(TableErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Delete_CurrentETag_RemovesRow()
    {
        var table = await NewTableAsync();
        var etag = await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "r")));
        Assert.Null(await Store.ExecuteAsync(table, TableOperation.Delete("p", "r", etag!)));
        Assert.Null(await Store.GetAsync(table, "p", "r"));
    }

    [Fact]
    public async Task Delete_MissingRow_ThrowsNotFound()
    {
        var table = await NewTableAsync();
        var e = await Assert.ThrowsAsync<TableStoreException>(() => Store.ExecuteAsync(table, TableOperation.Delete("p", "nope")));
        Assert.Equal(TableErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Delete_StaleETag_ThrowsPreconditionFailedAndKeepsRow()
    {
        var table = await NewTableAsync();
        var stale = await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "r", ("N", 1))));
        await Store.ExecuteAsync(table, TableOperation.UpsertReplace(Row("p", "r", ("N", 2))));
        var e = await Assert.ThrowsAsync<TableStoreException>(() => Store.ExecuteAsync(table, TableOperation.Delete("p", "r", stale!)));
        Assert.Equal(TableErrorKind.PreconditionFailed, e.Kind);
        Assert.NotNull(await Store.GetAsync(table, "p", "r"));
    }

    [Fact]
    public async Task UpsertMerge_ExistingRow_KeepsOtherProperties()
    {
        var table = await NewTableAsync();
        await Store.ExecuteAsync(table, TableOperation.UpsertMerge(Row("p", "r", ("A", "a"), ("B", 1))));
        await Store.ExecuteAsync(table, TableOperation.UpsertMerge(Row("p", "r", ("B", 2), ("C", true))));
        var read = await Store.GetAsync(table, "p", "r");
        Assert.Equal("a", read!.GetString("A"));
        Assert.Equal(2, read.Get<int>("B"));
        Assert.True(read.Get<bool>("C"));
    }

    [Fact]
    public async Task UpsertReplace_ExistingRow_DropsOtherProperties()
    {
        var table = await NewTableAsync();
        await Store.ExecuteAsync(table, TableOperation.UpsertReplace(Row("p", "r", ("A", "a"), ("B", 1))));
        await Store.ExecuteAsync(table, TableOperation.UpsertReplace(Row("p", "r", ("B", 2))));
        var read = await Store.GetAsync(table, "p", "r");
        Assert.Equal(2, read!.Get<int>("B"));
        Assert.False(read.Properties.ContainsKey("A"));
    }
}
