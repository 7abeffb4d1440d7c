using System.Globalization;
using System.Text;
using System.Xml;
using ServerlessMonitor.Admin;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Feed;

/// <summary>One feed entry: the incident, its service's display name and (when configured) its status-page link.</summary>
internal sealed record FeedEntry(IncidentRecord Incident, string ServiceName, string? StatusPageLink);

/// <summary>
/// Writes Atom 1.0 (RFC 4287) with XmlWriter, so every text is escaped by the writer and not by hand.
/// Entry ids are URNs built from the incident id, which never changes, so readers do not repeat an
/// entry when it is updated (resolved, or a note added) — they update it.
/// </summary>
internal static class FeedAtomWriter
{
    public const string ContentType = "application/atom+xml";

    private const string Atom = "http://www.w3.org/2005/Atom";
    private const string Xhtml = "http://www.w3.org/1999/xhtml";

    public static string Write(string instance, string baseUrl, IReadOnlyList<FeedEntry> entries, DateTimeOffset now)
    {
        using var stream = new MemoryStream();
        using (var w = SafeXmlWriter.Wrap(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("feed", Atom);
            w.WriteElementString("id", Atom, $"urn:serverlessmonitor:{instance}:incidents");
            w.WriteElementString("title", Atom, $"ServerlessMonitor incidents ({instance})");
            w.WriteElementString("subtitle", Atom, "Outages, degradations and maintenance of the monitored services");
            // An empty feed says "updated now"; otherwise the newest change, so the body (and its ETag) only changes with the data.
            w.WriteElementString("updated", Atom, Date(entries.Count == 0 ? now : entries.Max(e => Updated(e.Incident))));
            Link(w, "self", $"{baseUrl}/api/feed.atom", ContentType);
            Link(w, "alternate", $"{baseUrl}/", "text/html");
            w.WriteStartElement("author", Atom);
            w.WriteElementString("name", Atom, "ServerlessMonitor");
            w.WriteEndElement();
            w.WriteElementString("generator", Atom, "ServerlessMonitor");
            foreach (var entry in entries)
            {
                WriteEntry(w, instance, baseUrl, entry, now);
            }
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteEntry(XmlWriter w, string instance, string baseUrl, FeedEntry entry, DateTimeOffset now)
    {
        var i = entry.Incident;
        var notes = IncidentNotes.Parse(i.Notes);
        w.WriteStartElement("entry", Atom);
        w.WriteElementString("id", Atom, $"urn:serverlessmonitor:{instance}:incident:{i.Id}");
        w.WriteElementString("title", Atom, Title(entry));
        w.WriteElementString("published", Atom, Date(i.Start));
        w.WriteElementString("updated", Atom, Date(Updated(i)));
        Link(w, "alternate", entry.StatusPageLink ?? $"{baseUrl}/api/status/{Uri.EscapeDataString(i.Service)}", null);
        Category(w, i.Kind.ToWire());
        Category(w, i.Service);
        w.WriteStartElement("summary", Atom);
        w.WriteAttributeString("type", "text");
        w.WriteString(Summary(entry, now));
        w.WriteEndElement();
        w.WriteStartElement("content", Atom);
        w.WriteAttributeString("type", "xhtml");
        w.WriteStartElement("div", Xhtml);
        w.WriteStartElement("dl", Xhtml);
        Term(w, "Start", Date(i.Start));
        Term(w, "End", i.End is { } end ? Date(end) : "ongoing");
        Term(w, "Duration", Duration((i.End ?? now) - i.Start) + (i.End is null ? " so far" : ""));
        Term(w, "Regions", i.Regions.Count == 0 ? "-" : string.Join(", ", i.Regions));
        Term(w, "Likely cause", string.IsNullOrEmpty(i.Evidence) ? i.CauseLabel : $"{i.CauseLabel} ({i.Evidence})");
        Term(w, "Failed checks", $"{i.FailedChecks} of {i.Checks} ({i.FailedShare.ToString("P0", CultureInfo.InvariantCulture)})");
        if (i.FirstError is { Length: > 0 } first)
        {
            Term(w, "First error", first);
        }
        if (i.LastError is { Length: > 0 } last && last != i.FirstError)
        {
            Term(w, "Last error", last);
        }
        w.WriteEndElement();
        if (notes.Count > 0)
        {
            w.WriteElementString("h4", Xhtml, "Updates");
            w.WriteStartElement("ul", Xhtml);
            foreach (var note in notes)
            {
                w.WriteElementString("li", Xhtml, $"{Date(note.Time)} — {note.Status}: {note.Message}");
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    /// <summary>"TikTok web: outage — server errors (5xx)".</summary>
    internal static string Title(FeedEntry e) =>
        $"{e.ServiceName} {e.Incident.Endpoint}: {e.Incident.Kind.ToWire()}" + (string.IsNullOrEmpty(e.Incident.CauseLabel) ? "" : $" — {e.Incident.CauseLabel}");

    private static string Summary(FeedEntry e, DateTimeOffset now)
    {
        var i = e.Incident;
        var state = i.End is null ? $"ongoing for {Duration(now - i.Start)}" : $"resolved after {Duration(i.End.Value - i.Start)}";
        var notes = IncidentNotes.Parse(i.Notes);
        var latest = notes.Count > 0 ? $" Latest update: {notes[^1].Status}: {notes[^1].Message}" : "";
        var wire = i.Kind.ToWire();
        var kind = char.ToUpperInvariant(wire[0]) + wire[1..];
        return $"{kind} of {e.ServiceName} {i.Endpoint} since {Date(i.Start)}, {state}. "
            + $"Likely cause: {i.CauseLabel}.{latest}";
    }

    /// <summary>The last time anything about the incident changed: start, end or the newest note.</summary>
    private static DateTimeOffset Updated(IncidentRecord i) =>
        new[] { i.Start, i.End ?? i.Start }.Concat(IncidentNotes.Parse(i.Notes).Select(n => n.Time)).Max();

    internal static string Duration(TimeSpan d) => d switch
    {
        { TotalMinutes: < 1 } => $"{Math.Max(0, (int)d.TotalSeconds)} s",
        { TotalHours: < 1 } => $"{(int)d.TotalMinutes} min",
        { TotalDays: < 1 } => d.Minutes == 0 ? $"{(int)d.TotalHours} h" : $"{(int)d.TotalHours} h {d.Minutes} min",
        _ => d.Hours == 0 ? $"{(int)d.TotalDays} d" : $"{(int)d.TotalDays} d {d.Hours} h",
    };

    private static string Date(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Link(XmlWriter w, string rel, string href, string? type)
    {
        w.WriteStartElement("link", Atom);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("href", href);
        if (type is not null)
        {
            w.WriteAttributeString("type", type);
        }
        w.WriteEndElement();
    }

    private static void Category(XmlWriter w, string term)
    {
        w.WriteStartElement("category", Atom);
        w.WriteAttributeString("term", term);
        w.WriteEndElement();
    }

    private static void Term(XmlWriter w, string name, string value)
    {
        w.WriteElementString("dt", Xhtml, name);
        w.WriteElementString("dd", Xhtml, value);
    }
}
