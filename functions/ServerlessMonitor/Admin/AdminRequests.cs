using System.Text.Json;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Incidents;

namespace ServerlessMonitor.Admin;

/// <summary>
/// Reads admin request bodies with the catalog's own reader, so a maintenance window posted here is
/// held to exactly the rules of one in monitors.json and every error names its field.
/// </summary>
internal static class AdminRequests
{
    private static readonly string[] MaintenanceProps = ["service", "endpoint", "start", "duration", "every"];

    public static MaintenanceWindow? ReadMaintenance(JsonElement body, MonitorCatalog catalog, out Dictionary<string, string[]> errors)
    {
        var r = new JsonReaderContext();
        MaintenanceWindow? window = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            r.Error("body", "must be a JSON object {service, endpoint?, start, duration, every?}");
        }
        else
        {
            r.DuplicateProperties(body, "");
            r.UnknownProperties(body, "", MaintenanceProps);
            var service = r.String(body, "", "service", required: true);
            var endpoint = r.String(body, "", "endpoint");
            var definition = service is null ? null : catalog.FindService(service);
            if (service is not null && definition is null)
            {
                r.Error("service", $"unknown service '{service}'");
            }
            else if (endpoint is not null && definition is not null && definition.Endpoints.All(e => e.Id != endpoint))
            {
                r.Error("endpoint", $"service '{service}' has no endpoint '{endpoint}'");
            }
            var start = r.Date(body, "", "start");
            var duration = r.Duration(body, "", "duration", null, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
            var every = body.TryGetProperty("every", out var e) && e.ValueKind != JsonValueKind.Null
                ? r.Duration(body, "", "every", null, duration, TimeSpan.FromDays(366))
                : (TimeSpan?)null;
            if (r.Errors.Count == 0 && start is not null)
            {
                window = new MaintenanceWindow(service!, endpoint, start.Value, duration, every);
            }
        }
        errors = ToDictionary(r.Errors);
        return window;
    }

    /// <summary>POST …/notes: {status, message}.</summary>
    public static NoteRequest? ReadNote(JsonElement body, out Dictionary<string, string[]> errors) => ReadUpdate(body, "status", "message", out errors);

    /// <summary>
    /// An operator update: a state of <see cref="IncidentNotes.Statuses"/> and a text. POST …/updates names them
    /// <c>state</c> and <c>text</c>, the older …/notes <c>status</c> and <c>message</c>; both are the same timeline.
    /// </summary>
    public static NoteRequest? ReadUpdate(JsonElement body, string stateName, string textName, out Dictionary<string, string[]> errors)
    {
        var r = new JsonReaderContext();
        NoteRequest? note = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            r.Error("body", $"must be a JSON object {{{stateName}, {textName}}}");
        }
        else
        {
            r.DuplicateProperties(body, "");
            r.UnknownProperties(body, "", [stateName, textName]);
            var status = r.String(body, "", stateName, required: true);
            // Updates go to the page, the feed (XML), mails and the history API: line breaks are fine, other control characters are not.
            var message = r.Text(body, "", textName, IncidentNotes.MaxMessageLength, required: true, multiline: true);
            if (status is not null && !IncidentNotes.Statuses.Contains(status))
            {
                r.Error(stateName, $"'{TextRules.Quote(status)}' is not one of {string.Join(", ", IncidentNotes.Statuses)}");
            }
            if (r.Errors.Count == 0)
            {
                note = new NoteRequest(status, message!.Trim());
            }
        }
        errors = ToDictionary(r.Errors);
        return note;
    }

    /// <summary>Parses the body; null when it is not JSON (the caller answers 400).</summary>
    /// <summary>Admin bodies are a maintenance window or a note: far below this. Larger ones are refused unread (413).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The body as JSON (null when it is not JSON), or too large: never more than <see cref="MaxBodyBytes"/> are read.</summary>
    public static async Task<AdminBody> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return new AdminBody(null, TooLarge: true);
        }
        var buffer = new byte[MaxBodyBytes + 1];
        var count = 0;
        int read;
        while (count < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(count), ct)) > 0)
        {
            count += read;
        }
        if (count > MaxBodyBytes)
        {
            return new AdminBody(null, TooLarge: true);
        }
        try
        {
            using var doc = JsonDocument.Parse(buffer.AsMemory(0, count));
            return new AdminBody(doc.RootElement.Clone(), TooLarge: false);
        }
        catch (JsonException)
        {
            return new AdminBody(null, TooLarge: false);
        }
    }

    /// <summary>"field: message" lines from the catalog reader, grouped by field for a validation problem.</summary>
    private static Dictionary<string, string[]> ToDictionary(IEnumerable<string> errors) => errors
        .Select(e => e.Split(": ", 2))
        .GroupBy(p => p[0], p => p.Length > 1 ? p[1] : p[0])
        .ToDictionary(g => g.Key, g => g.ToArray());
}

/// <summary>An admin request body: its JSON, or null when it was not JSON or was over the cap.</summary>
internal sealed record AdminBody(JsonElement? Json, bool TooLarge);
