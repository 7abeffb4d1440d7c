using System.Diagnostics.CodeAnalysis;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Conditions;

/// <summary>The outcome of one condition, with the placeholder values resolved: "[STATUS] (503) == 200".</summary>
public sealed record ConditionResult(string Condition, bool Success, string Resolved);

/// <summary>One parsed condition of the Gatus condition language.</summary>
public sealed class Condition
{
    private Condition(string text) => Text = text;

    public string Text { get; }

    public static bool TryParse(string text, [NotNullWhen(true)] out Condition? condition, [NotNullWhen(false)] out string? error)
    {
        // PLACEHOLDER: replaced by the condition-language implementation.
        condition = new Condition(text);
        error = null;
        return true;
    }

    public ConditionResult Evaluate(ProbeResponse response, DateTimeOffset now) => new(Text, true, Text);

    public override string ToString() => Text;
}
