using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using static ServerlessMonitor.Tests.Conditions.ConditionTestData;

namespace ServerlessMonitor.Tests.Conditions;

/// <summary>Bodies that System.Text.Json parses but will not decode: evaluation never throws.</summary>
public sealed class ConditionHostileBodyTests
{
    [Theory]
    // Go's decoder reads an escaped half surrogate as U+FFFD; so do we.
    [InlineData("[BODY].s == a\uFFFDb", """{"s":"a\ud800b"}""", true, "[BODY].s (a\uFFFDb) == a\uFFFDb")]
    [InlineData("[BODY].s == ok", """{"s":"\udc00\ud83d\ude00\u0001"}""", false, "[BODY].s (\uFFFD\U0001F600\u0001) == ok")]
    [InlineData("len([BODY].s) == 3", """{"s":"\ud800"}""", true, "len([BODY].s) (3) == 3")]
    [InlineData("len([BODY].a) == 1", """{"a":["\ud800"]}""", true, "len([BODY].a) (1) == 1")]
    [InlineData("[BODY].a[0] == x", """{"a":["\ud800"]}""", false, "[BODY].a[0] (\uFFFD) == x")]
    // A key the reader cannot decode makes the operand invalid instead of failing the whole probe cycle.
    [InlineData("[BODY].o == x", """{"o":{"\ud800":1}}""", false, "[BODY].o (INVALID) == x")]
    public void Evaluate_UndecodableString_NeverThrows(string condition, string body, bool success, string resolved)
    {
        var result = Evaluate(condition, new ProbeResponse { StatusCode = 200, Body = body });

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }
}
