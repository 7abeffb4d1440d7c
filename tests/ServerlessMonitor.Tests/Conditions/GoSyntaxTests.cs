using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Tests.Conditions;

/// <summary>The Go number, duration and glob rules Gatus conditions rely on.</summary>
public sealed class GoSyntaxTests
{
    [Theory]
    [InlineData("48h", 172_800_000L)]
    [InlineData("1h30m", 5_400_000L)]
    [InlineData("30s", 30_000L)]
    [InlineData("500ms", 500L)]
    [InlineData("1.5s", 1_500L)]
    [InlineData(".5s", 500L)]
    [InlineData("1500us", 1L)]
    [InlineData("2h45m30.5s", 9_930_500L)]
    [InlineData("-1h", -3_600_000L)]
    [InlineData("0", 0L)]
    public void TryParseDurationMilliseconds_GoDuration_ReturnsMilliseconds(string text, long expected)
    {
        Assert.True(GoSyntax.TryParseDurationMilliseconds(text, out var milliseconds));
        Assert.Equal(expected, milliseconds);
    }

    [Theory]
    [InlineData("7d")]
    [InlineData("1")]
    [InlineData("h")]
    [InlineData("")]
    [InlineData("1e3s")]
    [InlineData("3000000h")]
    [InlineData("1h 30m")]
    public void TryParseDurationMilliseconds_NotAGoDuration_ReturnsFalse(string text)
    {
        Assert.False(GoSyntax.TryParseDurationMilliseconds(text, out _));
    }

    [Theory]
    [InlineData("0x1F", 31L)]
    [InlineData("0o17", 15L)]
    [InlineData("017", 15L)]
    [InlineData("0b101", 5L)]
    [InlineData("1_000", 1_000L)]
    [InlineData("-42", -42L)]
    [InlineData("+7", 7L)]
    [InlineData("0", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void TryParseInt64_GoIntegerLiteral_ReturnsValue(string text, long expected)
    {
        Assert.True(GoSyntax.TryParseInt64(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("08")]
    [InlineData("1__0")]
    [InlineData("_1")]
    [InlineData("1_")]
    [InlineData("0x")]
    [InlineData("9223372036854775808")]
    [InlineData("1.5")]
    [InlineData(" 1")]
    [InlineData("")]
    [InlineData("abc")]
    public void TryParseInt64_NotAGoInteger_ReturnsFalse(string text)
    {
        Assert.False(GoSyntax.TryParseInt64(text, out _));
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(999L, "0s")]
    [InlineData(1_000L, "1s")]
    [InlineData(50_000L, "50s")]
    [InlineData(600_000L, "10m")]
    [InlineData(5_400_000L, "1h30m")]
    [InlineData(3_615_000L, "1h0m15s")]
    [InlineData(1_209_600_000L, "336h")]
    [InlineData(-3_600_000L, "-1h")]
    public void FormatDuration_Milliseconds_ReturnsGatusDisplay(long milliseconds, string expected)
    {
        Assert.Equal(expected, GoSyntax.FormatDuration(milliseconds));
    }

    [Theory]
    [InlineData("*", "anything/at/all", true)]
    [InlineData("john*", "john.doe", true)]
    [InlineData("*john*", "{\"name\": \"john.doe\"}", true)]
    [InlineData("10.*", "192.10.0.1", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[^a-c]x", "bx", false)]
    [InlineData("\\*", "*", true)]
    [InlineData("\\*", "a", false)]
    [InlineData("*.example.com", "a/b.example.com", true)]
    [InlineData("abc", "abcd", false)]
    [InlineData("*a*b*c", "xxaxxbxxc", true)]
    [InlineData("*a*b*c", "xxaxxcxxb", false)]
    public void IsMatch_GlobPattern_FollowsGoFilepathMatch(string pattern, string value, bool expected)
    {
        Assert.True(GlobPattern.TryCompile(pattern, out var compiled, out _));
        Assert.Equal(expected, compiled!.IsMatch(value));
    }

    [Theory]
    [InlineData("[", "not closed")]
    [InlineData("[]", "empty or malformed")]
    [InlineData("[a-]", "range")]
    [InlineData("a\\", "lone '\\'")]
    public void TryCompile_MalformedPattern_ReturnsError(string pattern, string expectedFragment)
    {
        Assert.False(GlobPattern.TryCompile(pattern, out _, out var error));
        Assert.Contains(expectedFragment, error, StringComparison.Ordinal);
    }
}
