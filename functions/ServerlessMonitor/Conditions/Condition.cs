using System.Diagnostics.CodeAnalysis;

namespace ServerlessMonitor.Conditions;

/// <summary>The outcome of one condition, with the placeholder values resolved: "[STATUS] (503) == 200".</summary>
public sealed record ConditionResult(string Condition, bool Success, string Resolved);

/// <summary>
/// One parsed condition of the Gatus condition language, e.g. "[STATUS] == 200",
/// "[BODY].data[0].id == 1", "len([BODY].items) > 0", "[CERTIFICATE_EXPIRATION] > 48h".
/// Same semantics as Gatus except for the deliberate differences listed, with examples, in docs/CONDITIONS.md.
/// </summary>
public sealed class Condition
{
    // Gatus truncates a value shown next to a pattern to 25 characters; other values are capped at 50 so
    // that a 1 MiB body never ends up in a stored result (a difference, see docs/CONDITIONS.md).
    private const int PatternDisplayLength = 25;
    private const int DisplayLength = 50;

    private readonly ParsedCondition parsed;

    private Condition(string text, ParsedCondition parsed)
    {
        Text = text;
        this.parsed = parsed;
        ReadsBody = IsBody(parsed.Left) || IsBody(parsed.Right);
    }

    public string Text { get; }

    /// <summary>The condition looks at the response body ([BODY], len([BODY]…), has([BODY]…)); others never need it read.</summary>
    public bool ReadsBody { get; }

    /// <summary>Parses a condition; on failure <paramref name="error"/> names the problem.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Condition? condition, [NotNullWhen(false)] out string? error)
    {
        condition = null;
        if (!ConditionParser.TryParse(text, out var parsed, out error))
        {
            return false;
        }
        condition = new Condition(text, parsed);
        return true;
    }

    /// <summary>
    /// Evaluates the condition against one probe response. Never throws. An operand that cannot be resolved
    /// (a [BODY] path that is missing, null, or a body that is not JSON) fails the condition whatever the operator,
    /// != included (docs/CONDITIONS.md).
    /// </summary>
    public ConditionResult Evaluate(ProbeResponse response, DateTimeOffset now)
    {
        using var context = new EvaluationContext(response, now);
        var (op, left, right) = parsed;
        var leftValue = Resolve(left, context);
        var rightValue = Resolve(right, context);
        var success = !leftValue.Invalid && !rightValue.Invalid && Compare(op, left, leftValue, right, rightValue);
        var resolved = $"{Display(left, leftValue, right, op)} {ConditionParser.Symbol(op)} {Display(right, rightValue, left, op)}";
        return new ConditionResult(Text, success, resolved);
    }

    public override string ToString() => Text;

    private static bool IsBody(Operand operand) => operand is PlaceholderOperand { Placeholder: Placeholder.Body };

    // A probed body is hostile input: a value the JSON reader refuses to decode (an escaped half surrogate
    // in an object key, say) makes the operand invalid — it never escapes as an exception and fails the cycle.
    private static ResolvedValue Resolve(Operand operand, EvaluationContext context)
    {
        try
        {
            return operand.Resolve(context);
        }
        catch (InvalidOperationException)
        {
            return new ResolvedValue("", invalid: true);
        }
    }

    private static bool Compare(ConditionOperator op, Operand left, ResolvedValue leftValue, Operand right, ResolvedValue rightValue)
    {
        if (ConditionParser.IsEquality(op))
        {
            // pat() and any() work from either side; the parser allows them on one side only.
            var equal = (left, right) switch
            {
                (_, PatternOperand pattern) => pattern.Pattern.IsMatch(leftValue.Value.Span),
                (PatternOperand pattern, _) => pattern.Pattern.IsMatch(rightValue.Value.Span),
                (_, AnyOperand any) => IsAnyOf(leftValue, any.Options),
                (AnyOperand any, _) => IsAnyOf(rightValue, any.Options),
                _ => AreEqual(leftValue, rightValue),
            };
            return equal == (op == ConditionOperator.Equal);
        }
        // A resolved value that is not a number fails instead of counting as 0 as it does in Gatus (docs/CONDITIONS.md).
        if (!TryNumber(left, leftValue, out var l) || !TryNumber(right, rightValue, out var r))
        {
            return false;
        }
        var order = l.CompareTo(r);
        return op switch
        {
            ConditionOperator.Less => order < 0,
            ConditionOperator.LessOrEqual => order <= 0,
            ConditionOperator.Greater => order > 0,
            _ => order >= 0,
        };
    }

    // Gatus: two values that both read as Go integers compare as integers ("0x1" == "1"), otherwise as strings.
    private static bool AreEqual(ResolvedValue left, ResolvedValue right) =>
        left.IsShort && right.IsShort && GoSyntax.TryParseInt64(left.Text, out var l) && GoSyntax.TryParseInt64(right.Text, out var r)
            ? l == r
            : left.Value.Span.SequenceEqual(right.Value.Span);

    private static bool IsAnyOf(ResolvedValue value, IReadOnlyList<string> options)
    {
        foreach (var option in options)
        {
            if (value.Value.Span.SequenceEqual(option))
            {
                return true;
            }
        }
        return false;
    }

    private static bool TryNumber(Operand operand, ResolvedValue value, out Numeric number)
    {
        if (operand is LiteralOperand literal)
        {
            number = literal.Number.GetValueOrDefault();
            return literal.Number.HasValue;
        }
        number = default;
        return value.IsShort && Numeric.TryParse(value.Text, out number);
    }

    private static string Display(Operand operand, ResolvedValue value, Operand other, ConditionOperator op)
    {
        if (operand is not PlaceholderOperand placeholder)
        {
            return operand.Text;
        }
        if (value.Invalid)
        {
            return $"{operand.Text} (INVALID)";
        }
        var shown = placeholder is { Placeholder: Placeholder.CertificateExpiration, Function: PlaceholderFunction.None }
            && !ConditionParser.IsEquality(op) && long.TryParse(value.Value.Span, out var milliseconds)
            ? GoSyntax.FormatDuration(milliseconds)
            : Truncate(value.Value.Span, other is PatternOperand ? PatternDisplayLength : DisplayLength);
        return $"{operand.Text} ({shown})";
    }

    private static string Truncate(ReadOnlySpan<char> text, int max)
    {
        if (text.Length <= max)
        {
            return text.ToString();
        }
        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return string.Concat(text[..cut], "...(truncated)");
    }
}
