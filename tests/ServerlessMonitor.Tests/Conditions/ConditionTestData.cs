using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Tests.Conditions;

/// <summary>Shared helpers: a fixed clock and a parse-or-fail shortcut.</summary>
internal static class ConditionTestData
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static ConditionResult Evaluate(string text, ProbeResponse response)
    {
        Assert.True(Condition.TryParse(text, out var condition, out var error), error);
        return condition.Evaluate(response, Now);
    }
}
