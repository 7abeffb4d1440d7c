using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Storage;

public abstract partial class TableStoreContractTests
{
    internal static readonly (string Name, object Value)[] EveryType =
    [
        ("Str", "héllo wörld"),
        ("Empty", ""),
        ("Int32", 42),
        ("Int32Min", int.MinValue),
        ("Int64", 9_007_199_254_740_993L),  // 2^53 + 1: lost if it ever travels as a JSON number
        ("Int64Max", long.MaxValue),
        ("Int64Min", long.MinValue),
        ("Int64Small", 7L),
        ("DoubleIntegral", 2.0),
        ("DoubleFraction", 0.1),
        ("DoubleLarge", -1.5e300),
        ("DoubleZero", 0.0),
        ("True", true),
        ("False", false),
        ("Date", new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero)),
        ("DateOffset", new DateTimeOffset(2024, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(2))),
        ("Guid", Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301")),
        ("Binary", Enumerable.Range(0, 256).Select(i => (byte)i).ToArray()),
    ];

    internal static void AssertEveryType(TableEntity read)
    {
        foreach (var (name, expected) in EveryType)
        {
            Assert.True(read.Properties.TryGetValue(name, out var actual), $"property {name} is missing");
            Assert.IsType(expected.GetType(), actual);
            if (expected is DateTimeOffset date)
            {
                // Dates come back in UTC; the instant is what must survive.
                var d = (DateTimeOffset)actual!;
                Assert.Equal(TimeSpan.Zero, d.Offset);
                Assert.Equal(date.UtcDateTime, d.UtcDateTime);
            }
            else
            {
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public async Task Properties_EveryType_RoundTripThroughReadAndQuery()
    {
        var table = await NewTableAsync();
        await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "r", EveryType.Select(p => (p.Name, (object?)p.Value)).ToArray())));

        AssertEveryType((await Store.GetAsync(table, "p", "r"))!);
        AssertEveryType(Assert.Single((await Store.QueryAsync(table, "p", RowKeyRange.All)).Items));
    }

    [Fact]
    public async Task Properties_NullValue_IsNotStored()
    {
        var table = await NewTableAsync();
        await Store.ExecuteAsync(table, TableOperation.Insert(Row("p", "r", ("A", "a"), ("Nothing", null))));
        var read = await Store.GetAsync(table, "p", "r");
        Assert.Equal(["A"], read!.Properties.Keys);
    }

    public static TheoryData<string> AwkwardKeys => new()
    {
        "O'Brien",
        "''",
        "emoji 😀 and CJK 中文字",
        "100% + a b",
        "a+b=c&d;e,f:g@h$i!j*k(l)m[n]o{p}~",
        "%27%20",
        "ends with space ",
    };

    [Theory]
    [MemberData(nameof(AwkwardKeys))]
    public async Task Keys_QuotesUnicodeAndReservedCharacters_RoundTripEverywhere(string key)
    {
        var table = await NewTableAsync();
        var etag = await Store.ExecuteAsync(table, TableOperation.Insert(Row(key, key, ("V", key))));
        Assert.Equal(key, (await Store.GetAsync(table, key, key))!.GetString("V"));

        // Through a batch, the query filter, an ETag-guarded update and a delete.
        await Store.SubmitBatchAsync(table,
        [
            TableOperation.Update(Row(key, key, ("V", key + "2")) with { ETag = etag }),
            TableOperation.Insert(Row(key, key + "x", ("V", key))),
        ]);
        var rows = await Store.QueryAllAsync(table, key, RowKeyRange.Prefix(key)).ToListAsync();
        Assert.Equal([key, key + "x"], rows.Select(r => r.RowKey));
        Assert.Equal([key + "2", key], rows.Select(r => r.GetString("V")));
        Assert.All(rows, r => Assert.Equal(key, r.PartitionKey));

        await Store.ExecuteAsync(table, TableOperation.Delete(key, key, rows[0].ETag!));
        Assert.Null(await Store.GetAsync(table, key, key));
        Assert.NotNull(await Store.GetAsync(table, key, key + "x"));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\u0001b")]
    [InlineData("a\u001Fb")]
    [InlineData("a\u007Fb")]
    [InlineData("a\u009Fb")]
    public async Task Keys_ForbiddenCharacter_IsRejectedAndNothingWritten(string key)
    {
        var table = await NewTableAsync();
        var e = await Assert.ThrowsAsync<TableStoreException>(() => Store.ExecuteAsync(table, TableOperation.Insert(Row("p", key))));
        Assert.Equal(TableErrorKind.BadRequest, e.Kind);
        var inPartition = await Store.ExecuteAsync(table, TableOperation.Insert(Row(key, "r")))
            .ContinueWith(t => t.Exception?.InnerException, TaskScheduler.Default);
        Assert.IsType<TableStoreException>(inPartition);
        Assert.Empty(await Store.QueryAllAsync(table, "p", RowKeyRange.All).ToListAsync());
    }

    [Theory]
    [InlineData("a-b_c.d")]
    [InlineData("caf\u00E9")]
    [InlineData("a\u00A0b")]
    public async Task Keys_AllowedCharacters_AreStored(string key)
    {
        var table = await NewTableAsync();
        await Store.ExecuteAsync(table, TableOperation.Insert(Row(key, key)));
        Assert.NotNull(await Store.GetAsync(table, key, key));
    }
}
