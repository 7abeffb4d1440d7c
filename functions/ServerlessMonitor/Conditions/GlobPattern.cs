namespace ServerlessMonitor.Conditions;

/// <summary>
/// The pattern of pat(...): Gatus delegates to Go's filepath.Match after deleting every '/' from both
/// the pattern and the value, so '*' matches anything (slashes included), '?' one character,
/// '[a-z]' / '[^0-9]' a class, and '\' escapes. Compiled once at parse time.
/// </summary>
internal sealed class GlobPattern
{
    private readonly Token[] tokens;
    private readonly bool matchesEverything;

    private GlobPattern(Token[] tokens, bool matchesEverything)
    {
        this.tokens = tokens;
        this.matchesEverything = matchesEverything;
    }

    private enum TokenKind
    {
        Literal,
        AnyChar,
        Star,
        Class,
    }

    private sealed record Token(TokenKind Kind, char Char = default, (char Lo, char Hi)[]? Ranges = null, bool Negated = false)
    {
        public bool Matches(char c) => Kind switch
        {
            TokenKind.Literal => c == Char,
            TokenKind.AnyChar => true,
            TokenKind.Class => Ranges!.Any(r => r.Lo <= c && c <= r.Hi) != Negated,
            _ => false,
        };
    }

    public static bool TryCompile(string pattern, out GlobPattern? compiled, out string? error)
    {
        compiled = null;
        error = null;
        var source = pattern.Replace("/", "", StringComparison.Ordinal);
        var tokens = new List<Token>();
        for (var i = 0; i < source.Length; i++)
        {
            switch (source[i])
            {
                case '*':
                    // Consecutive stars are one star; collapsing them keeps matching linear in practice.
                    if (tokens.Count == 0 || tokens[^1].Kind != TokenKind.Star)
                    {
                        tokens.Add(new Token(TokenKind.Star));
                    }
                    break;
                case '?':
                    tokens.Add(new Token(TokenKind.AnyChar));
                    break;
                case '\\':
                    if (++i == source.Length)
                    {
                        error = "it ends with a lone '\\'";
                        return false;
                    }
                    tokens.Add(new Token(TokenKind.Literal, source[i]));
                    break;
                case '[':
                    if (!TryReadClass(source, ref i, out var classToken, out error))
                    {
                        return false;
                    }
                    tokens.Add(classToken);
                    break;
                default:
                    tokens.Add(new Token(TokenKind.Literal, source[i]));
                    break;
            }
        }
        compiled = new GlobPattern([.. tokens], pattern == "*");
        return true;
    }

    public bool IsMatch(string value) => IsMatch(value.AsSpan());

    public bool IsMatch(ReadOnlySpan<char> text)
    {
        if (matchesEverything)
        {
            return true;
        }
        // Classic wildcard matching with single-star backtracking: O(n·m) worst case, no recursion. Gatus deletes every '/'
        // from the value first; skipping them here does the same without copying a body of up to 1 MiB.
        int t = 0, p = 0, starToken = -1, starText = 0;
        while (t < text.Length)
        {
            if (text[t] == '/')
            {
                t++;
            }
            else if (p < tokens.Length && tokens[p].Kind == TokenKind.Star)
            {
                starToken = p++;
                starText = t;
            }
            else if (p < tokens.Length && tokens[p].Matches(text[t]))
            {
                p++;
                t++;
            }
            else if (starToken >= 0)
            {
                p = starToken + 1;
                t = ++starText;
            }
            else
            {
                return false;
            }
        }
        while (p < tokens.Length && tokens[p].Kind == TokenKind.Star)
        {
            p++;
        }
        return p == tokens.Length;
    }

    private static bool TryReadClass(string source, ref int i, out Token token, out string? error)
    {
        token = new Token(TokenKind.Class);
        error = null;
        var j = i + 1;
        var negated = j < source.Length && source[j] == '^';
        if (negated)
        {
            j++;
        }
        var ranges = new List<(char, char)>();
        while (true)
        {
            if (j >= source.Length)
            {
                error = "a '[' class is not closed with ']'";
                return false;
            }
            if (source[j] == ']' && ranges.Count > 0)
            {
                break;
            }
            if (!TryReadClassChar(source, ref j, out var lo))
            {
                error = $"the '[' class at position {i + 1} is empty or malformed";
                return false;
            }
            var hi = lo;
            if (j < source.Length && source[j] == '-')
            {
                j++;
                if (!TryReadClassChar(source, ref j, out hi))
                {
                    error = $"the range in the '[' class at position {i + 1} is malformed";
                    return false;
                }
            }
            ranges.Add((lo, hi));
        }
        token = new Token(TokenKind.Class, Ranges: [.. ranges], Negated: negated);
        i = j;
        return true;
    }

    // Go's getEsc: '-' and ']' must be escaped inside a class, '\' escapes the next character.
    private static bool TryReadClassChar(string source, ref int j, out char c)
    {
        c = default;
        if (j >= source.Length || source[j] is '-' or ']')
        {
            return false;
        }
        if (source[j] == '\\' && ++j >= source.Length)
        {
            return false;
        }
        c = source[j++];
        return true;
    }
}
