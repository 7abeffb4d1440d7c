using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Tests.Conditions;

public sealed class ConditionParseTests
{
    [Theory]
    [InlineData("[STATUS] == 200")]
    [InlineData("[STATUS] != 200")]
    [InlineData("[STATUS] <= 200")]
    [InlineData("[STATUS] >= 200")]
    [InlineData("[STATUS] < 200")]
    [InlineData("[STATUS] > 200")]
    [InlineData("[STATUS] == any(200, 201, 202, 203)")]
    [InlineData("[STATUS] == [BODY].status")]
    [InlineData("[CONNECTED] == true")]
    [InlineData("[RESPONSE_TIME] < 500")]
    [InlineData("[IP] == 127.0.0.1")]
    [InlineData("[BODY] == 1")]
    [InlineData("[BODY].test.wat == wat")]
    [InlineData("[BODY].age == [BODY].id")]
    [InlineData("[BODY].users[0].id == 1")]
    [InlineData("[BODY][0][1] == 1")]
    [InlineData("len([BODY].users) == 100")]
    [InlineData("has([BODY].users[0].name) == true")]
    [InlineData("[BODY].name == pat(john*)")]
    [InlineData("pat(4*) == [STATUS]")]
    [InlineData("any(200, 429) != [STATUS]")]
    [InlineData("pat(john*) == [BODY].name")]
    [InlineData("[CERTIFICATE_EXPIRATION] > 48h")]
    [InlineData("[DNS_RCODE] == NOERROR")]
    [InlineData("raw == raw")]
    [InlineData("[status] == 200")]
    public void TryParse_ValidCondition_ReturnsConditionKeepingText(string text)
    {
        var ok = Condition.TryParse(text, out var condition, out var error);

        Assert.True(ok, error);
        Assert.Null(error);
        Assert.Equal(text, condition!.Text);
        Assert.Equal(text, condition.ToString());
    }

    [Theory]
    [InlineData("", "the condition is empty")]
    [InlineData("   ", "the condition is empty")]
    [InlineData("[STATUS]", "missing operator")]
    [InlineData("[STATUS] ? 201", "missing operator: expected one of")]
    [InlineData("[STATUS]==201", "with a space on each side")]
    [InlineData("[STATUS] = = 201", "missing operator")]
    [InlineData("[STATUS] ==", "missing operator")]
    [InlineData("[STATUS] ==  ", "the right-hand side is empty")]
    [InlineData(" == 200", "the left-hand side is empty")]
    [InlineData("[STATUS] == 200 == 200", "more than one '==' operator")]
    [InlineData("[FOO] == 1", "unknown placeholder '[FOO]'")]
    [InlineData("[DOMAIN_EXPIRATION] > 720h", "unknown placeholder '[DOMAIN_EXPIRATION]'")]
    [InlineData("[STATUS] == [CONTEXT].expected", "unknown placeholder '[CONTEXT]'")]
    [InlineData("len([BODY].users == 100", "unbalanced parentheses in 'len([BODY].users'")]
    [InlineData("[BODY].data[0 == 1", "unbalanced brackets in '[BODY].data[0'")]
    [InlineData("[BODY].data]0[ == 1", "unbalanced brackets")]
    [InlineData("[BODY].data[x] == 1", "array index 'x'")]
    [InlineData("[BODY].data[-1] == 1", "array index '-1'")]
    [InlineData("[BODY]..a == 1", "empty key")]
    [InlineData("[BODY]x == 1", "'x' where '.' or '[' was expected")]
    [InlineData("[STATUS].code == 1", "only [BODY] takes a JSON path")]
    [InlineData("foo([BODY]) == 1", "unknown function 'foo()'")]
    [InlineData("[BODY] == upper(x)", "unknown function 'upper()'")]
    [InlineData("len([BODY]) x == 3", "unexpected text after the closing parenthesis of len()")]
    [InlineData("len(200) == 3", "len() takes a placeholder such as [BODY].items, not '200'")]
    [InlineData("pat(4*) == any(404, 410)", "only one side may use them")]
    [InlineData("pat(4*) != pat(40*)", "only one side may use them")]
    [InlineData("pat(4*) < [STATUS]", "pat() can only be used with == or !=")]
    [InlineData("any(1, 2) > [STATUS]", "any() can only be used with == or !=")]
    [InlineData("[STATUS] < pat(4*)", "pat() can only be used with == or !=")]
    [InlineData("[STATUS] >= any(200, 201)", "any() can only be used with == or !=")]
    [InlineData("[STATUS] == any()", "any() needs at least one value")]
    [InlineData("[BODY] == pat(*[a-*)", "invalid pattern '*[a-*'")]
    [InlineData("[BODY] == pat(a\\)", "invalid pattern")]
    [InlineData("has([BODY].errors) == yes", "has() must be compared with true or false, not 'yes'")]
    [InlineData("has([BODY].errors) > 1", "has() can only be used with == or !=")]
    [InlineData("[RESPONSE_TIME] < potato", "'potato' is not a number or a duration")]
    [InlineData("[CERTIFICATE_EXPIRATION] > 7d", "there is no day unit")]
    public void TryParse_InvalidCondition_ReturnsErrorNamingProblem(string text, string expectedFragment)
    {
        var ok = Condition.TryParse(text, out var condition, out var error);

        Assert.False(ok);
        Assert.Null(condition);
        Assert.StartsWith($"invalid condition '{text}': ", error);
        Assert.Contains(expectedFragment, error, StringComparison.Ordinal);
    }
}
