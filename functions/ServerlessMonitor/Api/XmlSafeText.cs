using System.Text;
using System.Xml;

namespace ServerlessMonitor.Api;

/// <summary>
/// Text made safe for XML 1.0 (feed, badges, the page's inline SVG): characters XML forbids — most C0
/// controls, unpaired surrogates, U+FFFE and U+FFFF — become U+FFFD. Probed bodies and stored notes may
/// hold anything, and XmlWriter throws on these characters, which turned one odd byte into a 500.
/// </summary>
internal static class XmlSafeText
{
    public const char Replacement = '\uFFFD';

    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }
        var firstBad = FirstInvalid(text);
        if (firstBad < 0)
        {
            return text;
        }
        var sb = new StringBuilder(text.Length).Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            var c = text[i];
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                sb.Append(c).Append(text[++i]);
            }
            else
            {
                sb.Append(XmlConvert.IsXmlChar(c) ? c : Replacement);
            }
        }
        return sb.ToString();
    }

    private static int FirstInvalid(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                i++;
            }
            else if (!XmlConvert.IsXmlChar(text[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
