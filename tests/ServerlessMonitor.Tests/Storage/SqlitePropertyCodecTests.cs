using System.Text;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>The stored form of the embedded backend, read straight from its UTF-8 (the store contract tests cover every type's round trip).</summary>
public sealed class SqlitePropertyCodecTests
{
    private static Dictionary<string, object?> Decode(string json, IReadOnlyList<string>? select = null) =>
        SqlitePropertyCodec.Decode(Encoding.UTF8.GetBytes(json), select);

    [Fact]
    public void Decode_OnlyTheSelectedProperties_SkippingTheOthersWhole()
    {
        var row = Decode("""{"A":{"t":"Int64","v":"1"},"B":{"t":"String","v":"b"},"C":{"t":"Binary","v":"AAE="}}""", ["C", "A", "Missing"]);

        Assert.Equal(["A", "C"], row.Keys.Order());
        Assert.Equal(1L, row["A"]);
        Assert.Equal(new byte[] { 0, 1 }, row["C"]);
    }

    [Fact]
    public void Decode_AValueBeforeItsType_AndEscapedText_ReadTheSame()
    {
        var row = Decode("""{"N\u00e4me":{"v":"42","t":"Int32"},"S":{"t":"String","v":"a\"b\u00e9"},"D":{"t":"DateTime","v":"2026-11-30T12:00:00.0000000Z"}}""");

        Assert.Equal(42, row["Näme"]);
        Assert.Equal("a\"bé", row["S"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), row["D"]);
    }

    [Fact]
    public void Encode_ThenDecode_GivesBackEveryType()
    {
        var written = TableStoreContractTests.EveryType.ToDictionary(p => p.Name, p => (object?)p.Value);

        var read = SqlitePropertyCodec.Decode(SqlitePropertyCodec.EncodeUtf8(written));

        TableStoreContractTests.AssertEveryType(new TableEntity("p", "r", read));
    }

    [Theory]
    [InlineData("""{"A":{"t":"Decimal","v":"1"}}""", "unknown stored property type 'Decimal'")]
    [InlineData("""{"A":{"v":"1"}}""", "stored property 'A' has no type")]
    [InlineData("""{"A":"1"}""", "not in the expected form")]
    public void Decode_ARowItCannotRead_SaysWhatIsWrong(string json, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => Decode(json));
        Assert.Contains(message, e.Message);
    }
}
