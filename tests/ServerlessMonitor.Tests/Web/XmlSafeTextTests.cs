using System.Text;
using System.Xml;
using System.Xml.Linq;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Web;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Tests.Web;

public class XmlSafeTextTests
{
    // Theory data, not attributes, and not enumerated at discovery: attribute strings and serialised test cases
    // are UTF-8, which cannot hold a lone surrogate.
    public static TheoryData<string, string> Texts => new()
    {
        { "plain text", "plain text" },
        { "tab\tnew\nline\r", "tab\tnew\nline\r" },
        { "a\u0001b\u001bc\u0000", "a\uFFFDb\uFFFDc\uFFFD" },
        { "lone \uD800 high", "lone \uFFFD high" },
        { "lone \uDC00 low", "lone \uFFFD low" },
        { "pair \uD83D\uDE00 ok", "pair \uD83D\uDE00 ok" },
        { "end \uD83D", "end \uFFFD" },
        { "non-chars \uFFFE\uFFFF", "non-chars \uFFFD\uFFFD" },
    };

    public static TheoryData<string, string> LogValues => new()
    {
        { "ok", "ok" },
        { "\u001b[2J\u001b[31mred", "\\u001b[2J\\u001b[31mred" },
        { "line\r\nforged: entry", "line\\u000d\\u000aforged: entry" },
        { "nul\u0000del\u007fc1\u0085", "nul\\u0000del\\u007fc1\\u0085" },
        { "half \uD800 pair \uD83D\uDE00", "half \\ud800 pair \uD83D\uDE00" },
    };

    [Theory]
    [MemberData(nameof(Texts), DisableDiscoveryEnumeration = true)]
    public void Clean_Text_OnlyXmlCharactersRemain(string text, string expected)
    {
        Assert.Equal(expected, XmlSafeText.Clean(text));
    }

    [Fact]
    public void SafeXmlWriter_EveryWriteMethod_ProducesWellFormedXml()
    {
        var sb = new StringBuilder();
        using (var w = SafeXmlWriter.Wrap(sb, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            w.WriteStartElement("root");
            w.WriteAttributeString("a", "x\u0001y");
            w.WriteElementString("e", "\u001b[31m\uD800");
            w.WriteComment("c\u0002");
            w.WriteCData("d\u0003");
            w.WriteChars("f\u0004g".ToCharArray(), 0, 3);
            w.WriteEndElement();
        }

        var root = XDocument.Parse(sb.ToString()).Root!;
        Assert.Equal("x\uFFFDy", root.Attribute("a")!.Value);
        Assert.Equal("\uFFFD[31m\uFFFD", root.Element("e")!.Value);
    }

    [Theory]
    [MemberData(nameof(LogValues), DisableDiscoveryEnumeration = true)]
    public void LogText_Escape_ControlCharactersBecomeEscapes(string value, string expected)
    {
        Assert.Equal(expected, LogText.Escape(value));
    }

    [Fact]
    public void LogText_Escape_LongValueIsCapped()
    {
        Assert.Equal(LogText.MaxLength + "…(truncated)".Length, LogText.Escape(new string('x', 10_000)).Length);
    }
}
