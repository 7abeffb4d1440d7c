using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Incidents;

namespace ServerlessMonitor.Admin;

/// <summary>
/// POST /api/admin/incidents/{id}/updates (and the older …/notes): validates the body, appends the update to the
/// incident's timeline with its Service.Update event, then delivers that event at once (the AlertsTimer retries it
/// when a sink fails; the update is stored either way).
/// </summary>
internal static class IncidentUpdates
{
    public static async Task<Results<Ok<IncidentNotesDto>, ValidationProblem, ProblemHttpResult>> PostAsync(string incidentId, HttpRequest request,
        string stateName, string textName, IncidentNoteWriter writer, OutboxDispatcher dispatcher, TimeProvider time, CancellationToken ct)
    {
        var read = await AdminRequests.ReadJsonAsync(request, ct);
        if (read.TooLarge)
        {
            return AdminApi.TooLarge();
        }
        if (read.Json is not { } body)
        {
            return AdminApi.NotJson();
        }
        if (AdminRequests.ReadUpdate(body, stateName, textName, out var errors) is not { } update)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid incident update");
        }
        var result = await writer.AppendAsync(incidentId, new IncidentNote(time.GetUtcNow(), update.Status!, update.Message!), ct);
        switch (result.Outcome)
        {
            case IncidentUpdateOutcome.UnknownIncident:
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown incident",
                    detail: $"No incident has id '{incidentId}'. GET /api/services/{{service}}/incidents lists them with their ids.");
            case IncidentUpdateOutcome.Full:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Incident timeline full",
                    detail: $"The incident already has {result.Updates.Count} updates and no room for another ({IncidentNoteWriter.MaxTimelineChars} characters in all).");
        }
        IncidentRows.TryParseId(incidentId, out var partition, out _);
        await dispatcher.DispatchAsync([partition], ct);
        return TypedResults.Ok(new IncidentNotesDto(incidentId, result.Updates));
    }
}
