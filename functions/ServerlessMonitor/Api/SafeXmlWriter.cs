using System.Xml;

namespace ServerlessMonitor.Api;

/// <summary>
/// An XmlWriter that passes every text, attribute value, comment and CDATA through <see cref="XmlSafeText.Clean"/>
/// before the inner writer sees it. The feed and the badges write through this, so no call site can forget:
/// WriteElementString and WriteAttributeString end up in <see cref="WriteString"/> too.
/// </summary>
internal sealed class SafeXmlWriter(XmlWriter inner) : XmlWriter
{
    public static XmlWriter Wrap(Stream output, XmlWriterSettings settings) => new SafeXmlWriter(XmlWriter.Create(output, settings));

    public static XmlWriter Wrap(System.Text.StringBuilder output, XmlWriterSettings settings) => new SafeXmlWriter(XmlWriter.Create(output, settings));

    public override WriteState WriteState => inner.WriteState;

    public override void WriteString(string? text) => inner.WriteString(XmlSafeText.Clean(text));

    public override void WriteChars(char[] buffer, int index, int count) => WriteString(new string(buffer, index, count));

    public override void WriteCData(string? text) => inner.WriteCData(XmlSafeText.Clean(text));

    public override void WriteComment(string? text) => inner.WriteComment(XmlSafeText.Clean(text));

    public override void WriteCharEntity(char ch) => WriteString(ch.ToString());

    public override void WriteSurrogateCharEntity(char lowChar, char highChar) => WriteString(new string([highChar, lowChar]));

    public override void WriteWhitespace(string? ws) => inner.WriteWhitespace(ws);

    public override void WriteStartDocument() => inner.WriteStartDocument();

    public override void WriteStartDocument(bool standalone) => inner.WriteStartDocument(standalone);

    public override void WriteEndDocument() => inner.WriteEndDocument();

    public override void WriteDocType(string name, string? pubid, string? sysid, string? subset) => inner.WriteDocType(name, pubid, sysid, subset);

    public override void WriteStartElement(string? prefix, string localName, string? ns) => inner.WriteStartElement(prefix, localName, ns);

    public override void WriteEndElement() => inner.WriteEndElement();

    public override void WriteFullEndElement() => inner.WriteFullEndElement();

    public override void WriteStartAttribute(string? prefix, string localName, string? ns) => inner.WriteStartAttribute(prefix, localName, ns);

    public override void WriteEndAttribute() => inner.WriteEndAttribute();

    public override void WriteProcessingInstruction(string name, string? text) => inner.WriteProcessingInstruction(name, XmlSafeText.Clean(text));

    public override void WriteEntityRef(string name) => inner.WriteEntityRef(name);

    public override void WriteRaw(char[] buffer, int index, int count) => inner.WriteRaw(buffer, index, count);

    public override void WriteRaw(string data) => inner.WriteRaw(data);

    public override void WriteBase64(byte[] buffer, int index, int count) => inner.WriteBase64(buffer, index, count);

    public override void Flush() => inner.Flush();

    public override string? LookupPrefix(string ns) => inner.LookupPrefix(ns);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
