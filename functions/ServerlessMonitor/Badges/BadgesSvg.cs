using System.Globalization;
using System.Text;
using System.Xml;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Badges;

/// <summary>
/// Shields.io-style flat badges: grey label on the left, coloured value on the right. The server has
/// no fonts to measure with, so widths come from a table of approximate Verdana 11 px advances;
/// <c>textLength</c> then makes the browser fit the text to exactly that width.
/// </summary>
internal static class BadgesSvg
{
    public const string ContentType = "image/svg+xml";

    private const string Ns = "http://www.w3.org/2000/svg";
    private const int Padding = 6;

    public static string Render(string label, string value, string color)
    {
        var labelText = TextWidth(label);
        var valueText = TextWidth(value);
        int labelWidth = labelText + 2 * Padding, valueWidth = valueText + 2 * Padding, width = labelWidth + valueWidth;
        var title = $"{label}: {value}";

        var sb = new StringBuilder();
        using (var w = SafeXmlWriter.Wrap(sb, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            w.WriteStartElement("svg", Ns);
            Attrs(w, ("width", Num(width)), ("height", "20"), ("role", "img"), ("aria-label", title));
            w.WriteElementString("title", Ns, title);
            w.WriteStartElement("linearGradient", Ns);
            Attrs(w, ("id", "s"), ("x2", "0"), ("y2", "100%"));
            Element(w, "stop", ("offset", "0"), ("stop-color", "#bbb"), ("stop-opacity", ".1"));
            Element(w, "stop", ("offset", "1"), ("stop-opacity", ".1"));
            w.WriteEndElement();
            w.WriteStartElement("clipPath", Ns);
            w.WriteAttributeString("id", "r");
            Element(w, "rect", ("width", Num(width)), ("height", "20"), ("rx", "3"), ("fill", "#fff"));
            w.WriteEndElement();
            w.WriteStartElement("g", Ns);
            w.WriteAttributeString("clip-path", "url(#r)");
            Element(w, "rect", ("width", Num(labelWidth)), ("height", "20"), ("fill", "#555"));
            Element(w, "rect", ("x", Num(labelWidth)), ("width", Num(valueWidth)), ("height", "20"), ("fill", color));
            Element(w, "rect", ("width", Num(width)), ("height", "20"), ("fill", "url(#s)"));
            w.WriteEndElement();
            w.WriteStartElement("g", Ns);
            Attrs(w, ("fill", "#fff"), ("text-anchor", "middle"), ("font-family", "Verdana,Geneva,DejaVu Sans,sans-serif"),
                ("text-rendering", "geometricPrecision"), ("font-size", "11"));
            Text(w, label, labelWidth / 2.0, labelText);
            Text(w, value, labelWidth + valueWidth / 2.0, valueText);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return sb.ToString();
    }

    /// <summary>Approximate advance widths of Verdana at 11 px, rounded up to whole pixels overall.</summary>
    internal static int TextWidth(string text) => (int)Math.Ceiling(text.Sum(CharWidth));

    private static double CharWidth(char c) => c switch
    {
        'i' or 'l' or 'j' or '.' or ',' or ':' or ';' or '\'' or '|' or '!' => 3.4,
        ' ' or 'f' or 't' or 'r' or 'I' or '(' or ')' or '[' or ']' => 4.4,
        '-' => 4.7,
        'm' or 'M' or 'W' => 10.6,
        'w' or '%' => 9.5,
        >= '0' and <= '9' => 7.0,
        >= 'A' and <= 'Z' => 7.6,
        >= 'a' and <= 'z' => 6.6,
        _ when char.IsLowSurrogate(c) => 0,
        _ => 8.0,
    };

    private static void Text(XmlWriter w, string text, double x, int length)
    {
        // A darker copy one pixel lower is the flat style's text shadow.
        Element(w, "text", text, ("aria-hidden", "true"), ("x", Num(x)), ("y", "15"), ("fill", "#010101"), ("fill-opacity", ".3"),
            ("textLength", Num(length)), ("lengthAdjust", "spacingAndGlyphs"));
        Element(w, "text", text, ("x", Num(x)), ("y", "14"), ("textLength", Num(length)), ("lengthAdjust", "spacingAndGlyphs"));
    }

    private static void Element(XmlWriter w, string name, params (string Name, string Value)[] attributes) => Element(w, name, null, attributes);

    private static void Element(XmlWriter w, string name, string? text, params (string Name, string Value)[] attributes)
    {
        w.WriteStartElement(name, Ns);
        Attrs(w, attributes);
        if (text is not null)
        {
            w.WriteString(text);
        }
        w.WriteEndElement();
    }

    private static void Attrs(XmlWriter w, params (string Name, string Value)[] attributes)
    {
        foreach (var (name, value) in attributes)
        {
            w.WriteAttributeString(name, value);
        }
    }

    private static string Num(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
