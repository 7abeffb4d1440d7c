namespace ServerlessMonitor.Hosting;

/// <summary>
/// Which host runs the monitor. On Azure Functions the Functions host sits in front: it checks function
/// keys on admin routes and forwards the client address; standalone, Kestrel faces clients directly.
/// </summary>
public sealed record MonitorHost(string Name, bool BehindFunctionsHost)
{
    public static readonly MonitorHost Functions = new("functions", true);

    public static readonly MonitorHost Standalone = new("standalone", false);
}
