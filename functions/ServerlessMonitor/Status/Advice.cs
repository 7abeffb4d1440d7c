using ServerlessMonitor.SelfCheck;

namespace ServerlessMonitor.Status;

/// <summary>"It's up for us — is it just you?" Troubleshooting steps shown when a service works from here.</summary>
public static class Advice
{
    /// <param name="monitor">
    /// Whether our probes can see anything. When no region can reach the internet the statuses are only the
    /// last known ones, so nothing is claimed about the service now — least of all "nothing to fix on your side".
    /// </param>
    public static IReadOnlyList<string> For(ServiceStatusDto service, MonitorStatusDto? monitor = null) =>
        monitor is { StatusesAreStale: true } ? WhileOffline(service, monitor) : service.Status switch
        {
            HealthStatus.Up or HealthStatus.Degraded =>
            [
                $"{service.Name} is up for us{(service.Status == HealthStatus.Degraded ? ", though slower than usual" : "")}. If it does not work for you:",
                "Check your own connection: open another website, switch between Wi-Fi and mobile data.",
                "Update the app to its latest version, or try the website in a browser.",
                "Clear the app's cache (or the browser's cache and cookies for the site).",
                "Restart the app, then your phone or computer and your router.",
                "Still broken? Report the problem below, so others can see whether it is just you.",
            ],
            HealthStatus.Partial => [$"{service.Name} is down in some regions ({string.Join(", ", service.DownRegions)}). A VPN through another region may help until it is fixed."],
            HealthStatus.Down => [$"{service.Name} is down for everyone we can see. Nothing to fix on your side: wait for it to recover."],
            HealthStatus.Maintenance => [$"{service.Name} is in planned maintenance. It should be back when the window ends."],
            _ => [$"We have not checked {service.Name} yet."],
        };

    private static IReadOnlyList<string> WhileOffline(ServiceStatusDto service, MonitorStatusDto monitor) =>
    [
        monitor.Message ?? "Our probes cannot reach the internet right now.",
        service.Status == HealthStatus.Unknown
            ? $"We could not check {service.Name} yet, so we cannot tell whether it works."
            : $"{service.Name} was {service.Status.ToWire()} when we last checked; we cannot tell whether it works right now. "
              + "Still broken for you? Report the problem below, so others can see whether it is just you.",
    ];
}
