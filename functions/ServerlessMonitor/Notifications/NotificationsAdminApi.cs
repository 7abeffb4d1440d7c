using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessMonitor.Admin;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Notifications;

/// <summary>
/// /api/admin/notifications: each channel's last success and failure (with the provider's answer, scrubbed),
/// its pending and dead deliveries, a test message now, and the re-drive of a dead delivery. Behind the admin key.
/// </summary>
public static class NotificationsAdminApi
{
    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        Admin("AdminNotifications", "GET", "/notifications", List),
        Admin("AdminNotificationsTest", "POST", "/notifications/{channel}/test", Test),
        Admin("AdminNotificationsRedrive", "POST", "/notifications/deliveries/{partition}/{id}/redrive", Redrive),
    ];

    private static ApiRoute Admin(string name, string method, string path, Delegate handler) =>
        new(name, method, "/api/admin" + path, handler) { Access = RouteAccess.Admin, Tag = "Admin", Filters = [typeof(AdminKeyFilter)] };

    private static async Task<Ok<NotificationsDto>> List(DeliveryReport report, CancellationToken ct) =>
        TypedResults.Ok(await report.ReadAsync(ct));

    private static async Task<Results<Ok<ChannelTestDto>, ProblemHttpResult>> Test(string channel, DeliveryReport report, CancellationToken ct)
    {
        if (report.Channels.FirstOrDefault(c => string.Equals(c.Channel, channel, StringComparison.OrdinalIgnoreCase)) is not { } sink)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown channel",
                detail: $"No channel named '{channel}' is configured (Notifications:Channels:{{name}}).");
        }
        try
        {
            await sink.SendTestAsync(ct);
            return TypedResults.Ok(new ChannelTestDto(sink.Channel, true, null));
        }
        catch (AlertDeliveryException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The provider did not accept the test message", detail: e.Message);
        }
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> Redrive(string partition, string id, DeliveryReport report, CancellationToken ct) =>
        await report.RedriveAsync(partition, id, ct)
            ? TypedResults.Accepted((string?)null)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No dead delivery",
                detail: $"Partition '{partition}' holds no dead-lettered delivery '{id}'.");
}
