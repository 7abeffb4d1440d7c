using System.Globalization;
using System.Text;

namespace ServerlessMonitor.Probing;

/// <summary>
/// Values from probed targets (and other outsiders: request paths, bodies) as they may appear in a log
/// line: control characters — ESC of ANSI colour and cursor sequences, CR/LF that would forge a line,
/// NUL, DEL, C1 — and unpaired surrogates are written as \uXXXX escapes, and the value is capped. A console
/// or a log viewer then shows what the target sent instead of obeying it.
/// </summary>
internal static class LogText
{
    public const int MaxLength = 500;

    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value ?? "";
        }
        var text = value.Length <= MaxLength ? value : value[..MaxLength];
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029')
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        return value.Length <= MaxLength ? sb.ToString() : sb.Append("…(truncated)").ToString();
    }
}
