using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;

namespace ServerlessMonitor.Tests.Storage;

public sealed class PackedResultCodecTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 22, 0, 0, 123, TimeSpan.Zero);
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _texts = [];

    private long Intern(string text)
    {
        if (!_ids.TryGetValue(text, out var id))
        {
            _texts.Add(text);
            _ids[text] = id = _texts.Count - 1;
        }
        return id;
    }

    private static TableEntity Steady(params (string Name, object? Value)[] extra)
    {
        var props = new Dictionary<string, object?>
        {
            ["Region"] = "local", ["CheckedAt"] = At, ["Outcome"] = "up", ["StatusCode"] = 200, ["ResponseMs"] = 12L,
            ["DnsMs"] = null, ["ConnectMs"] = 1L, ["FirstByteMs"] = 11L, ["Ip"] = "127.0.0.1", ["Error"] = null,
            ["Conditions"] = "✓ [STATUS] (200) == 200\n✓ [RESPONSE_TIME] (12) < 3000", ["Attempts"] = 1, ["Changed"] = null,
        };
        foreach (var (name, value) in extra)
        {
            props[name] = value;
        }
        return new TableEntity("svc.web", MonitorTables.ResultKey(At, "local"), props);
    }

    private (byte[]? Packed, long At, string Region) Pack(TableEntity row)
    {
        Assert.True(MonitorTables.TryParseResultKey(row.RowKey, out var at, out var region));
        return (PackedResultCodec.TryPack(row, at, region, Intern), at, region);
    }

    [Fact]
    public void TryPack_SteadyHealthyResult_ReadsBackExactlyAndIsSmall()
    {
        var row = Steady();
        var (packed, at, region) = Pack(row);

        Assert.NotNull(packed);
        var back = PackedResultCodec.Unpack(packed, at, region, id => _texts[(int)id]);
        // Null properties are not stored, as by every store; every other one comes back with its value and its type.
        Assert.Equal(row.Properties.Where(p => p.Value is not null).OrderBy(p => p.Key), back.OrderBy(p => p.Key));
        Assert.All(back, p => Assert.Equal(row.Properties[p.Key]!.GetType(), p.Value!.GetType()));
        Assert.True(packed.Length <= 24, $"{packed.Length} bytes");
    }

    [Fact]
    public void TryPack_SecondCheck_InternsNothingNew()
    {
        Pack(Steady());
        var names = _texts.Count;
        var (packed, at, region) = Pack(Steady(("ResponseMs", 950L), ("Conditions", "✓ [STATUS] (200) == 200\n✓ [RESPONSE_TIME] (950) < 3000")));

        Assert.Equal(names, _texts.Count);
        Assert.Equal("✓ [STATUS] (200) == 200\n✓ [RESPONSE_TIME] (950) < 3000",
            PackedResultCodec.Unpack(packed!, at, region, id => _texts[(int)id])["Conditions"]);
    }

    [Theory]
    [InlineData("Outcome", "down")]
    [InlineData("Outcome", "degraded")]
    [InlineData("Changed", true)]
    public void TryPack_Event_IsLeftInFull(string name, object value) => Assert.Null(Pack(Steady((name, value))).Packed);

    [Fact]
    public void TryPack_UnsupportedValue_IsLeftInFull()
    {
        Assert.Null(Pack(Steady(("Blob", new byte[] { 1, 2 }))).Packed);
        Assert.Null(Pack(Steady(("Id", Guid.NewGuid()))).Packed);
        Assert.Null(Pack(Steady(("Note", "has \u0001 in it"))).Packed);
    }

    [Theory]
    [InlineData("007 and 0 and 10")]
    [InlineData("12345678901234567890123 digits")]
    [InlineData("2001:db8::1")]
    [InlineData("")]
    [InlineData("-5, 3.25e10 and ١٢٣")]
    public void TryPack_TextWithAwkwardNumbers_ReadsBackTheSame(string text)
    {
        var (packed, at, region) = Pack(Steady(("Ip", text), ("Score", -2.5), ("Flag", false), ("Expiry", At.AddDays(-40)), ("Big", long.MinValue)));

        var back = PackedResultCodec.Unpack(packed!, at, region, id => _texts[(int)id]);
        Assert.Equal(text, back["Ip"]);
        Assert.Equal(-2.5, back["Score"]);
        Assert.Equal(false, back["Flag"]);
        Assert.Equal(At.AddDays(-40), back["Expiry"]);
        Assert.Equal(long.MinValue, back["Big"]);
    }

    [Fact]
    public void Unpack_Select_ReturnsOnlyThose()
    {
        var (packed, at, region) = Pack(Steady());
        var back = PackedResultCodec.Unpack(packed!, at, region, id => _texts[(int)id], ["Outcome", "Changed"]);
        Assert.Equal(["Outcome"], back.Keys);
    }

    [Fact]
    public void Unpack_Truncated_ThrowsNamingThePackedResult()
    {
        var (packed, at, region) = Pack(Steady(("Big", long.MaxValue)));
        var e = Assert.Throws<InvalidDataException>(() => PackedResultCodec.Unpack(packed![..^2], at, region, id => _texts[(int)id]));
        Assert.Contains("packed result", e.Message);
    }

    [Theory]
    [InlineData("result-0000000000000000001-local", true)]
    [InlineData("result-0000000000000000001-", false)]
    [InlineData("result-000000000000000001-local", false)]
    [InlineData("result-1", false)]
    [InlineData("state-local", false)]
    [InlineData("result-+000000000000000001-local", false)]
    public void TryParseResultKey_OnlyKeysBuiltTheSameWayAgain(string key, bool parsed) =>
        Assert.Equal(parsed, MonitorTables.TryParseResultKey(key, out _, out _));
}
