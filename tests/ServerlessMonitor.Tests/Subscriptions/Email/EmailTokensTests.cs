using ServerlessMonitor.Subscriptions.Email;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions.Email;

public class EmailTokensTests
{
    private const string Key = "a-signing-key-of-at-least-32-characters!";
    private static readonly DateTimeOffset Now = ManualClock.Epoch;

    [Fact]
    public void ReadConfirm_OwnTokenWithinLifetime_ServiceAndAddressBack_AddressNotInTheToken()
    {
        var tokens = new EmailTokens(Key);

        var token = tokens.CreateConfirm(new ConfirmRequest("tiktok", "reader@example.com", Now.AddHours(24)));
        var read = tokens.ReadConfirm(token, Now.AddHours(23), out var problem);

        Assert.Null(problem);
        Assert.Equal(new ConfirmRequest("tiktok", "reader@example.com", Now.AddHours(24)), read);
        Assert.DoesNotContain("reader", token, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String("reader@example.com"u8.ToArray())[..12], token, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadConfirm_AfterExpiry_NullSayingExpired()
    {
        var tokens = new EmailTokens(Key);
        var token = tokens.CreateConfirm(new ConfirmRequest("*", "reader@example.com", Now.AddHours(24)));

        Assert.Null(tokens.ReadConfirm(token, Now.AddHours(24).AddSeconds(1), out var problem));
        Assert.Contains("expired", problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData("!!!.!!!")]
    public void ReadConfirm_Malformed_Null(string? token)
    {
        Assert.Null(new EmailTokens(Key).ReadConfirm(token, Now, out var problem));
        Assert.Contains("changed", problem);
    }

    [Fact]
    public void ReadConfirm_OneCharacterChangedOrOtherKey_Null()
    {
        var token = new EmailTokens(Key).CreateConfirm(new ConfirmRequest("tiktok", "reader@example.com", Now.AddHours(24)));
        var flipped = token[..5] + (token[5] == 'A' ? 'B' : 'A') + token[6..];

        Assert.Null(new EmailTokens(Key).ReadConfirm(flipped, Now, out _));
        Assert.Null(new EmailTokens(Key + "x").ReadConfirm(token, Now, out _));
    }

    [Fact]
    public void AddressKey_CaseAndSpaces_SameKeyNotTheAddress_OtherSigningKeyOtherHash()
    {
        var tokens = new EmailTokens(Key);

        Assert.Equal(tokens.AddressKey("reader@example.com"), tokens.AddressKey("  Reader@Example.COM "));
        Assert.NotEqual(tokens.AddressKey("reader@example.com"), tokens.AddressKey("other@example.com"));
        Assert.NotEqual(tokens.AddressKey("reader@example.com"), new EmailTokens(Key + "x").AddressKey("reader@example.com"));
        Assert.Matches("^[0-9a-f]{32}$", tokens.AddressKey("reader@example.com"));
    }

    [Theory]
    [InlineData("reader@example.com", "reader@example.com")]
    [InlineData(" Reader@Example.com ", "reader@example.com")]
    [InlineData("", null)]
    [InlineData("reader", null)]
    [InlineData("reader@localhost", null)]
    [InlineData("Reader <reader@example.com>", null)]
    [InlineData("a@example.com, b@example.com", null)]
    [InlineData("reader@example.com\r\nBcc: x@example.com", null)]
    public void Parse_Inputs_NormalisedAddressOrNull(string input, string? expected)
    {
        Assert.Equal(expected, EmailAddresses.Parse(input, out var problem));
        Assert.Equal(expected is null, problem is not null);
    }
}
