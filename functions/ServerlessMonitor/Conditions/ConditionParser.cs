using System.Diagnostics.CodeAnalysis;

namespace ServerlessMonitor.Conditions;

internal enum ConditionOperator
{
    Equal,
    NotEqual,
    LessOrEqual,
    GreaterOrEqual,
    Greater,
    Less,
}

internal sealed record ParsedCondition(ConditionOperator Operator, Operand Left, Operand Right);

/// <summary>
/// Turns "left op right" into operands once, so that a catalog with a broken condition fails to load
/// instead of failing every probe. Operators are found the way Gatus finds them: the first of
/// " == ", " != ", " &lt;= ", " >= ", " > ", " &lt; " (spaces included) that occurs in the text.
/// Where this parser is stricter than Gatus, and why, is written down in docs/CONDITIONS.md.
/// </summary>
internal static class ConditionParser
{
    private static readonly (string Symbol, ConditionOperator Operator)[] Operators =
    [
        ("==", ConditionOperator.Equal),
        ("!=", ConditionOperator.NotEqual),
        ("<=", ConditionOperator.LessOrEqual),
        (">=", ConditionOperator.GreaterOrEqual),
        (">", ConditionOperator.Greater),
        ("<", ConditionOperator.Less),
    ];

    private static readonly Dictionary<string, Placeholder> Placeholders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["[STATUS]"] = Placeholder.Status,
        ["[RESPONSE_TIME]"] = Placeholder.ResponseTime,
        ["[IP]"] = Placeholder.Ip,
        ["[CONNECTED]"] = Placeholder.Connected,
        ["[DNS_RCODE]"] = Placeholder.DnsRcode,
        ["[CERTIFICATE_EXPIRATION]"] = Placeholder.CertificateExpiration,
        ["[BODY]"] = Placeholder.Body,
    };

    private const string SupportedPlaceholders = "[STATUS], [RESPONSE_TIME], [IP], [CONNECTED], [DNS_RCODE], [CERTIFICATE_EXPIRATION], [BODY]";

    public static string Symbol(ConditionOperator op) => op switch
    {
        ConditionOperator.Equal => "==",
        ConditionOperator.NotEqual => "!=",
        ConditionOperator.LessOrEqual => "<=",
        ConditionOperator.GreaterOrEqual => ">=",
        ConditionOperator.Greater => ">",
        _ => "<",
    };

    public static bool IsEquality(ConditionOperator op) => op is ConditionOperator.Equal or ConditionOperator.NotEqual;

    public static bool TryParse(string text, [NotNullWhen(true)] out ParsedCondition? parsed, [NotNullWhen(false)] out string? error)
    {
        var problem = TryParseCore(text ?? "", out parsed);
        error = problem is null ? null : $"invalid condition '{text}': {problem}";
        return parsed is not null;
    }

    private static string? TryParseCore(string text, out ParsedCondition? parsed)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "the condition is empty";
        }
        var match = Operators.FirstOrDefault(o => text.Contains($" {o.Symbol} ", StringComparison.Ordinal));
        if (match.Symbol is null)
        {
            return Operators.Any(o => text.Contains(o.Symbol, StringComparison.Ordinal))
                ? "missing operator: write it with a space on each side, e.g. '[STATUS] == 200'"
                : "missing operator: expected one of ==, !=, <, <=, >, >=";
        }
        var parts = text.Split($" {match.Symbol} ");
        if (parts.Length > 2)
        {
            return $"more than one '{match.Symbol}' operator";
        }
        var op = match.Operator;
        if (TryParseOperand(parts[0].Trim(), "left", op, out var left) is { } leftError)
        {
            return leftError;
        }
        if (TryParseOperand(parts[1].Trim(), "right", op, out var right) is { } rightError)
        {
            return rightError;
        }
        if (CheckPair(op, left!, right!) is { } pairError)
        {
            return pairError;
        }
        parsed = new ParsedCondition(op, left!, right!);
        return null;
    }

    private static string? TryParseOperand(string side, string which, ConditionOperator op, out Operand? operand)
    {
        operand = null;
        if (side.Length == 0)
        {
            return $"the {which}-hand side is empty";
        }
        // pat() and any() may stand on either side, as in Gatus: "pat(4*) == [STATUS]" is "[STATUS] == pat(4*)".
        if (side.StartsWith("pat(", StringComparison.Ordinal) || side.StartsWith("any(", StringComparison.Ordinal))
        {
            var name = side[..3];
            if (!IsEquality(op))
            {
                return $"{name}() can only be used with == or !=";
            }
            if (!side.EndsWith(')'))
            {
                return $"unbalanced parentheses in '{side}'";
            }
            var argument = side[4..^1];
            if (name == "any")
            {
                var options = argument.Split(',').Select(o => o.Trim()).ToArray();
                operand = new AnyOperand(side, options);
                return argument.Trim().Length == 0 ? "any() needs at least one value" : null;
            }
            if (!GlobPattern.TryCompile(argument, out var pattern, out var patternError))
            {
                return $"invalid pattern '{argument}': {patternError}";
            }
            operand = new PatternOperand(side, pattern!);
            return null;
        }
        var function = FunctionName(side);
        if (function is not null && function is not ("len" or "has"))
        {
            return $"unknown function '{function}()'; supported functions are len(), has(), pat() and any()";
        }
        if (function is null && !side.StartsWith('['))
        {
            operand = new LiteralOperand(side, Numeric.TryParse(side, out var number) ? number : null);
            return null;
        }
        if (CheckBalanced(side) is { } unbalanced)
        {
            return unbalanced;
        }
        if (function is null)
        {
            return TryParsePlaceholder(side, side, PlaceholderFunction.None, out operand);
        }
        if (MatchingParenthesis(side, function.Length) != side.Length - 1)
        {
            return $"unexpected text after the closing parenthesis of {function}() in '{side}'";
        }
        var inner = side[(function.Length + 1)..^1].Trim();
        if (!inner.StartsWith('['))
        {
            return $"{function}() takes a placeholder such as [BODY].items, not '{inner}'";
        }
        var fn = function == "len" ? PlaceholderFunction.Len : PlaceholderFunction.Has;
        return TryParsePlaceholder(side, inner, fn, out operand);
    }

    private static string? TryParsePlaceholder(string side, string placeholder, PlaceholderFunction fn, out Operand? operand)
    {
        operand = null;
        var close = placeholder.IndexOf(']', StringComparison.Ordinal);
        var name = placeholder[..(close + 1)];
        if (!Placeholders.TryGetValue(name, out var kind))
        {
            return $"unknown placeholder '{name}'; supported placeholders are {SupportedPlaceholders}";
        }
        var rest = placeholder[(close + 1)..];
        JsonPath? path = null;
        if (rest.Length > 0 && kind != Placeholder.Body)
        {
            return $"unexpected '{rest}' after {name}; only [BODY] takes a JSON path";
        }
        if (rest.Length > 0 && !JsonPath.TryParse(rest, out path, out var pathError))
        {
            return pathError;
        }
        operand = new PlaceholderOperand(side, kind, fn, path);
        return null;
    }

    private static string? CheckPair(ConditionOperator op, Operand left, Operand right)
    {
        // Gatus would match one side's text against the other's ("pat(a*) == any(ab)" tests the pattern against
        // the literal "any(ab)"): never what was meant, so it is an error here (docs/CONDITIONS.md).
        if (left is PatternOperand or AnyOperand && right is PatternOperand or AnyOperand)
        {
            return "pat() and any() compare a value with a pattern or a list: only one side may use them";
        }
        foreach (var (operand, other) in new[] { (left, right), (right, left) })
        {
            if (operand is PlaceholderOperand { Function: PlaceholderFunction.Has })
            {
                if (!IsEquality(op))
                {
                    return "has() can only be used with == or !=";
                }
                if (other is not LiteralOperand { Text: "true" or "false" })
                {
                    return $"has() must be compared with true or false, not '{other.Text}'";
                }
            }
            // Gatus would silently read a non-number as 0 ("[RESPONSE_TIME] < 7d" always fails); reject it instead
            // (docs/CONDITIONS.md).
            if (!IsEquality(op) && operand is LiteralOperand { Number: null } literal)
            {
                var hint = literal.Text.EndsWith('d') ? "; there is no day unit, write 168h for 7d" : "";
                return $"'{literal.Text}' is not a number or a duration (units ns, us, ms, s, m, h){hint}";
            }
        }
        return null;
    }

    /// <summary>"len" for "len([BODY])", null when the side does not start with an identifier and '('.</summary>
    private static string? FunctionName(string side)
    {
        var open = side.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || !char.IsAsciiLetter(side[0]))
        {
            return null;
        }
        var name = side[..open];
        return name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : null;
    }

    private static int MatchingParenthesis(string side, int open)
    {
        var depth = 0;
        for (var i = open; i < side.Length; i++)
        {
            depth += side[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return i;
            }
        }
        return -1;
    }

    private static string? CheckBalanced(string side)
    {
        var open = new Stack<char>();
        foreach (var c in side)
        {
            if (c is '(' or '[')
            {
                open.Push(c);
            }
            else if (c is ')' or ']' && (open.Count == 0 || open.Pop() != (c == ')' ? '(' : '[')))
            {
                return $"unbalanced {(c == ')' ? "parentheses" : "brackets")} in '{side}'";
            }
        }
        return open.Count == 0 ? null : $"unbalanced {(open.Peek() == '(' ? "parentheses" : "brackets")} in '{side}'";
    }
}
