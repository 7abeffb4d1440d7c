using System.Text.RegularExpressions;

namespace ServerlessMonitor.Catalog;

/// <summary>
/// What a catalog header may be. The probe adds headers without the runtime's validation (so that odd but
/// legal values pass), which makes this the only check: a CR or LF in a value would end the header and
/// start another one of the catalog author's — or a probed page's — choosing.
/// </summary>
internal static partial class HeaderRules
{
    // Framing and connection management belong to the HTTP client; a catalog value would corrupt the request.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Proxy-Connection", "Upgrade", "TE", "Trailer",
    };

    /// <summary>Null when the header may be sent; otherwise why not.</summary>
    public static string? Problem(string name, string value)
    {
        if (name.Length > CatalogLimits.HeaderName)
        {
            return $"header names are at most {CatalogLimits.HeaderName} characters";
        }
        if (!Token().IsMatch(name))
        {
            return "not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)";
        }
        if (Reserved.Contains(name))
        {
            return $"'{name}' is managed by the HTTP client and cannot be set";
        }
        if (value.Length > CatalogLimits.HeaderValue)
        {
            return $"header values are at most {CatalogLimits.HeaderValue} characters (got {value.Length})";
        }
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            return "must not contain line breaks (CR or LF): they would end this header and start another";
        }
        foreach (var c in value)
        {
            if (c is not ('\t' or (>= ' ' and <= '~')))
            {
                return $"must be printable ASCII (found U+{(int)c:X4})";
            }
        }
        return null;
    }

    // RFC 9110 token.
    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex Token();
}
