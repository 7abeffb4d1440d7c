using System.Globalization;
using System.Text;

namespace ServerlessMonitor.Catalog;

/// <summary>
/// What text that people will read (names, notes) may contain. Control characters and unpaired surrogates
/// are refused where the text comes in, because every place it goes out (XML feed and badges, HTML, JSON,
/// console logs) either breaks on them or passes them on to terminals and readers.
/// </summary>
internal static class TextRules
{
    /// <summary>Null when <paramref name="text"/> is fine; otherwise what is wrong with it.</summary>
    public static string? Problem(string text, bool multiline = false)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"contains an unpaired surrogate (U+{(int)c:X4}) at position {i}";
            }
            else if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                return $"contains the control character U+{(int)c:X4} at position {i}";
            }
            else if (c is '\uFFFE' or '\uFFFF')
            {
                return $"contains the non-character U+{(int)c:X4} at position {i}";
            }
        }
        return null;
    }

    /// <summary>A value quoted in an error message: shortened, with control characters shown as escapes.</summary>
    public static string Quote(string value)
    {
        var shown = value.Length <= CatalogLimits.Quoted ? value : value[..CatalogLimits.Quoted] + "…";
        var sb = new StringBuilder(shown.Length);
        for (var i = 0; i < shown.Length; i++)
        {
            var c = shown[i];
            var paired = char.IsHighSurrogate(c) ? i + 1 < shown.Length && char.IsLowSurrogate(shown[i + 1])
                : char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(shown[i - 1]);
            sb.Append(char.IsControl(c) || (char.IsSurrogate(c) && !paired) ? $"\\u{((int)c).ToString("x4", CultureInfo.InvariantCulture)}" : c);
        }
        return sb.ToString();
    }
}
