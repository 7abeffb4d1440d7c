using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Api;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Maintenance;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Admin;

/// <summary>
/// /api/admin: maintenance windows, incident updates (notes) and "probe now". Every route sits behind
/// <see cref="AdminKeyFilter"/>; on Azure Functions the AdminApi function (authLevel function) adds the
/// host's function-key check in front. Described by the admin OpenAPI document (/api/admin/openapi.json), not the public one.
/// </summary>
public static class AdminApi
{
    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        Admin("AdminListMaintenance", "GET", "/maintenance", ListMaintenance),
        Admin("AdminAddMaintenance", "POST", "/maintenance", AddMaintenance, 400),
        Admin("AdminDeleteMaintenance", "DELETE", "/maintenance/{id}", DeleteMaintenance, 404),
        Admin("AdminAddIncidentNote", "POST", "/incidents/{incidentId}/notes", AddNote, 400, 404, 409),
        Admin("AdminAddIncidentUpdate", "POST", "/incidents/{incidentId}/updates", AddUpdate, 400, 404, 409),
        Admin("AdminProbeNow", "POST", "/probe/{service}/{endpoint}", ProbeNow, 404),
    ];

    private static ApiRoute Admin(string name, string method, string path, Delegate handler, params int[] problems) =>
        new(name, method, "/api/admin" + path, handler) { Access = RouteAccess.Admin, Tag = "Admin", Filters = [typeof(AdminKeyFilter)], Problems = problems };

    private static async Task<Ok<MaintenanceListDto>> ListMaintenance(MaintenanceCalendar calendar, CatalogProvider catalog, TimeProvider time,
        CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var windows = catalog.Current.Maintenance.Select(w => ToDto(null, "catalog", w, null, now))
            .Concat((await calendar.StoredAsync(ct)).OrderBy(s => s.Window.Start).Select(s => ToDto(s.Id, "admin", s.Window, s.CreatedAt, now)))
            .ToList();
        return TypedResults.Ok(new MaintenanceListDto(windows));
    }

    private static async Task<Results<Created<MaintenanceWindowDto>, ValidationProblem, ProblemHttpResult>> AddMaintenance(HttpRequest request,
        CatalogProvider catalog, MaintenanceStore store, MaintenanceCalendar calendar, TimeProvider time, ILogger<MaintenanceStore> logger,
        CancellationToken ct)
    {
        var read = await AdminRequests.ReadJsonAsync(request, ct);
        if (read.TooLarge)
        {
            return TooLarge();
        }
        if (read.Json is not { } body)
        {
            return NotJson();
        }
        if (AdminRequests.ReadMaintenance(body, catalog.Current, out var errors) is not { } window)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid maintenance window");
        }
        var now = time.GetUtcNow();
        var stored = await store.AddAsync(window, now, ct);
        await calendar.RefreshAsync(force: true, ct);
        logger.LogInformation("Maintenance window {Id} added for {Service}/{Endpoint}: {Start:O} for {Duration}", stored.Id, window.Service,
            window.Endpoint ?? "*", window.Start, window.Duration);
        return TypedResults.Created($"/api/admin/maintenance/{stored.Id}", ToDto(stored.Id, "admin", window, now, now));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteMaintenance(string id, MaintenanceStore store, MaintenanceCalendar calendar,
        ILogger<MaintenanceStore> logger, CancellationToken ct)
    {
        if (!await store.DeleteAsync(id, ct))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown maintenance window",
                detail: $"No maintenance window added through the admin API has id '{id}'. Catalog windows are changed in monitors.json.");
        }
        await calendar.RefreshAsync(force: true, ct);
        logger.LogInformation("Maintenance window {Id} deleted", id);
        return TypedResults.NoContent();
    }

    private static Task<Results<Ok<IncidentNotesDto>, ValidationProblem, ProblemHttpResult>> AddNote(string incidentId, HttpRequest request,
        IncidentNoteWriter writer, OutboxDispatcher dispatcher, TimeProvider time, CancellationToken ct) =>
        IncidentUpdates.PostAsync(incidentId, request, "status", "message", writer, dispatcher, time, ct);

    private static Task<Results<Ok<IncidentNotesDto>, ValidationProblem, ProblemHttpResult>> AddUpdate(string incidentId, HttpRequest request,
        IncidentNoteWriter writer, OutboxDispatcher dispatcher, TimeProvider time, CancellationToken ct) =>
        IncidentUpdates.PostAsync(incidentId, request, "state", "text", writer, dispatcher, time, ct);

    private static async Task<Results<Ok<ProbeResultDto>, ProblemHttpResult>> ProbeNow(string service, string endpoint, CatalogProvider catalog,
        ProbeCycle cycle, CancellationToken ct)
    {
        var definition = catalog.Current.FindService(service);
        var target = definition?.Endpoints.FirstOrDefault(e => e.Id == endpoint);
        if (definition is null || target is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: definition is null ? "Unknown service" : "Unknown endpoint",
                detail: definition is null
                    ? $"No service with id '{service}' is monitored here."
                    : $"'{endpoint}' is not an endpoint of '{service}' (one of {string.Join(", ", definition.Endpoints.Select(e => e.Id))}).");
        }
        var r = await cycle.ProbeNowAsync(definition, target, ct);
        var o = r.Observation;
        // The status the API shows is the global one (all regions); without it, this region's.
        var status = r.Global?.State.Status ?? r.Current.Status;
        var previous = r.Global?.Previous.Status ?? r.Previous.Status;
        return TypedResults.Ok(new ProbeResultDto(service, endpoint, o.CheckedAt, o.Outcome.ToString().ToLowerInvariant(), status, previous,
            o.ResponseTimeMs, o.Response.StatusCode, o.Error, o.ErrorKind?.ToWire(), o.Attempts,
            o.Conditions.Select(c => $"{(c.Success ? "ok" : "failed")}: {c.Resolved}").ToList(), o.Response.BodyExcerpt));
    }

    internal static ProblemHttpResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
            detail: $"Admin request bodies are at most {AdminRequests.MaxBodyBytes / 1024} KiB.");

    internal static ProblemHttpResult NotJson() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid body", detail: "The request body must be JSON.");

    private static MaintenanceWindowDto ToDto(string? id, string source, MaintenanceWindow w, DateTimeOffset? created, DateTimeOffset now) =>
        new(id, source, w.Service, w.Endpoint, w.Start, w.Duration.ToString("c", CultureInfo.InvariantCulture),
            w.Every?.ToString("c", CultureInfo.InvariantCulture), w.Covers(w.Service, w.Endpoint ?? "", now), created);
}
