using ServerlessMonitor.Admin;
using ServerlessMonitor.Api;
using ServerlessMonitor.Badges;
using ServerlessMonitor.Feed;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Pages;
using ServerlessMonitor.Push;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Subscriptions.Email;

namespace ServerlessMonitor.Web;

/// <summary>
/// Every HTTP route of the monitor, as each feature declares it. The standalone host serves these
/// endpoints, the Functions app has one [Function] per entry (a test compares its functions.metadata with
/// this table), and the OpenAPI document lists the public ones.
/// </summary>
public static class RouteTable
{
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        .. StatusPage.Routes,
        .. ServicePage.Routes,
        .. StatusApi.Routes,
        .. IncidentsApi.Routes,
        .. HistoryApi.Routes,
        .. ReportsApi.Routes,
        .. BadgesApi.Routes,
        .. FeedApi.Routes,
        .. OpenApiDocs.Routes,
        .. AdminApi.Routes,
        .. NotificationsAdminApi.Routes,
        .. PushApi.Routes,
        .. UnsubscribeApi.Routes,
        .. EmailSubscribeApi.Routes,
        .. WebPushApi.Routes,
        .. WebhookSubscribeApi.Routes,
    ];

    public static ApiRoute Get(string name) => All.Single(r => r.Name == name);
}
