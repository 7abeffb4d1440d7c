using System.Text.Json;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Tables;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>
/// Our store (on the .NET SDK, Azure.Data.Tables) and the JavaScript SDK (@azure/data-tables, run
/// by tests/azurite/interop.mjs) must read each other's entities with the same values and EDM types.
/// </summary>
[Collection("Azurite")]
public sealed class AzureTableStoreInteropTests(AzuriteFixture azurite)
{
    private readonly AzureTableStore _store = TableStoreConnection.FromConnectionString(azurite.ConnectionString).CreateStore();

    [Fact]
    public async Task OfficialSdk_ReadsOurEntity_WithSameValuesAndTypes()
    {
        var table = await NewTableAsync();
        const string pk = "O'Brien 😀";
        var props = TableStoreContractTests.EveryType.ToDictionary(p => p.Name, p => (object?)p.Value);
        await _store.ExecuteAsync(table, TableOperation.Insert(new TableEntity(pk, "from-dotnet", props)));

        var json = await azurite.RunNodeScriptAsync("interop.mjs", "read", azurite.ConnectionString, table, pk, "from-dotnet");

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(pk, doc.RootElement.GetProperty("partitionKey").GetString());
        var seen = doc.RootElement.GetProperty("properties");
        using var raw = JsonDocument.Parse(doc.RootElement.GetProperty("raw").GetString()!);
        foreach (var (name, value) in TableStoreContractTests.EveryType)
        {
            var p = seen.GetProperty(name);
            var (type, text) = Expected(value);
            if (value is double d && double.IsInteger(d))
            {
                // JavaScript can't tell 2.0 from 2, so the SDK reports these as Int32 (even for its own
                // doubles); the wire format must still say Double: an annotation or a decimal point.
                var literal = raw.RootElement.GetProperty(name).GetRawText();
                Assert.True(raw.RootElement.TryGetProperty(name + "@odata.type", out _) || literal.Contains('.'), $"{name} was sent as {literal}");
                Assert.Equal(d, double.Parse(p.GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }
            Assert.Equal((name, type), (name, p.GetProperty("type").GetString()));
            if (value is DateTimeOffset date)
            {
                Assert.Equal(date.UtcDateTime, DateTimeOffset.Parse(p.GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime);
            }
            else
            {
                Assert.Equal((name, text), (name, p.GetProperty("value").GetString()));
            }
        }
    }

    [Fact]
    public async Task OurStore_ReadsOfficialSdkEntity_WithRightClrTypes()
    {
        var table = await NewTableAsync();
        await azurite.RunNodeScriptAsync("interop.mjs", "write", azurite.ConnectionString, table, "p", "from-node");

        var e = await _store.GetAsync(table, "p", "from-node");

        Assert.NotNull(e);
        Assert.Equal("héllo O'Brien 😀", Assert.IsType<string>(e.Properties["Str"]));
        Assert.Equal("", Assert.IsType<string>(e.Properties["Empty"]));
        Assert.Equal(42, Assert.IsType<int>(e.Properties["Int32"]));
        Assert.Equal(9_007_199_254_740_993L, Assert.IsType<long>(e.Properties["Int64"]));
        Assert.Equal(2.0, Assert.IsType<double>(e.Properties["DoubleIntegral"]));
        Assert.Equal(0.25, Assert.IsType<double>(e.Properties["DoubleFraction"]));
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero), Assert.IsType<DateTimeOffset>(e.Properties["Date"]));
        Assert.Equal(Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), Assert.IsType<Guid>(e.Properties["Guid"]));
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, Assert.IsType<byte[]>(e.Properties["Binary"]));
        Assert.True(Assert.IsType<bool>(e.Properties["Bool"]));

        // The same entity through a query, where values come without the point read's ETag header.
        var queried = Assert.Single((await _store.QueryAsync(table, "p", RowKeyRange.All)).Items);
        Assert.Equal(e.Properties.Keys.Order(), queried.Properties.Keys.Order());
        Assert.Equal(e.ETag, queried.ETag);
    }

    private async Task<string> NewTableAsync()
    {
        var table = "interop" + Guid.NewGuid().ToString("N")[..20];
        await _store.CreateTableIfNotExistsAsync(table);
        return table;
    }

    private static (string Type, string Text) Expected(object value) => value switch
    {
        string s => ("String", s),
        int i => ("Int32", i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        long l => ("Int64", l.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        // The SDK hands doubles over as JavaScript numbers: 2.0 prints as "2", 0.1 as "0.1".
        double d => ("Double", d.ToString("R", System.Globalization.CultureInfo.InvariantCulture).Replace("E+", "e+", StringComparison.Ordinal)),
        bool b => ("Boolean", b ? "true" : "false"),
        DateTimeOffset => ("DateTime", ""),
        Guid g => ("Guid", g.ToString("D")),
        byte[] bytes => ("Binary", Convert.ToBase64String(bytes)),
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };
}
