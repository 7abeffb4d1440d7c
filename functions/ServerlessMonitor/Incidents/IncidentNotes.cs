using System.Text.Json;

namespace ServerlessMonitor.Incidents;

/// <summary>An operator's note on an incident ("identified: CDN in eu-west returns 502").</summary>
public sealed record IncidentNote(DateTimeOffset Time, string Status, string Message);

/// <summary>
/// The incident row's <c>Notes</c> property: a JSON array of notes. Only the admin API writes it; probe
/// updates merge the row and never touch it. IncidentRecord keeps the text as stored; the history API
/// and the feed parse it here.
/// </summary>
public static class IncidentNotes
{
    public const string Property = "Notes";

    public const int MaxMessageLength = 1000;

    public static readonly IReadOnlyList<string> Statuses = ["investigating", "identified", "monitoring", "resolved"];

    public static IReadOnlyList<IncidentNote> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }
        try
        {
            return JsonSerializer.Deserialize(json, IncidentNotesJsonContext.Default.ListIncidentNote) ?? [];
        }
        catch (JsonException)
        {
            // Text written by hand into the table is still an operator's note: show it rather than drop it.
            return [new IncidentNote(DateTimeOffset.UnixEpoch, "note", json)];
        }
    }

    public static string Append(string? json, IncidentNote note) =>
        JsonSerializer.Serialize([.. Parse(json), note], IncidentNotesJsonContext.Default.ListIncidentNote);
}
