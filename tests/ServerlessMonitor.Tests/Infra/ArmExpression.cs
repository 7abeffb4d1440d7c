using System.Text.Json.Nodes;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// Reads the one ARM expression shape Bicep emits for an object literal merged with more settings,
/// <c>[union(createObject('k', v, …), more…)]</c>: the literal's entries, each value as Bicep would have emitted it in a plain
/// object (<c>'text'</c> → <c>text</c>, anything else → <c>[expression]</c>), and the further arguments as written.
/// </summary>
internal static class ArmExpression
{
    /// <summary>The entries of the first createObject and the union's other arguments; throws on any other shape.</summary>
    public static (JsonObject Literal, IReadOnlyList<string> Merged) UnionOfCreateObject(string expression)
    {
        var body = Call(expression.StartsWith('[') && expression.EndsWith(']') ? expression[1..^1] : expression, "union");
        var args = Arguments(body);
        var pairs = Arguments(Call(args[0], "createObject"));
        if (pairs.Count % 2 != 0)
        {
            throw new FormatException($"createObject with an odd number of arguments: {args[0]}");
        }
        var literal = new JsonObject();
        for (var i = 0; i < pairs.Count; i += 2)
        {
            literal[Text(pairs[i]) ?? throw new FormatException($"a setting name that is not a literal: {pairs[i]}")] =
                Text(pairs[i + 1]) ?? $"[{pairs[i + 1]}]";
        }
        return (literal, args.Skip(1).ToList());
    }

    /// <summary>The argument list of <c>name(…)</c>.</summary>
    private static string Call(string expression, string name) =>
        expression.StartsWith(name + "(", StringComparison.Ordinal) && expression.EndsWith(')')
            ? expression[(name.Length + 1)..^1]
            : throw new FormatException($"not a {name}(…) call: {expression[..Math.Min(80, expression.Length)]}");

    /// <summary>Splits at the commas outside quotes, parentheses and brackets.</summary>
    private static List<string> Arguments(string list)
    {
        var args = new List<string>();
        var (depth, quoted, start) = (0, false, 0);
        for (var i = 0; i < list.Length; i++)
        {
            var c = list[i];
            if (c == '\'')
            {
                quoted = !quoted; // '' inside a string toggles twice
            }
            else if (!quoted && c is '(' or '[')
            {
                depth++;
            }
            else if (!quoted && c is ')' or ']')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == ',')
            {
                args.Add(list[start..i].Trim());
                start = i + 1;
            }
        }
        args.Add(list[start..].Trim());
        return args;
    }

    /// <summary>The text of a string literal <c>'…'</c>; null for any other expression.</summary>
    private static string? Text(string arg) =>
        arg.Length >= 2 && arg[0] == '\'' && arg[^1] == '\'' && !arg[1..^1].Replace("''", "", StringComparison.Ordinal).Contains('\'')
            ? arg[1..^1].Replace("''", "'", StringComparison.Ordinal)
            : null;
}
