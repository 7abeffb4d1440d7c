namespace ServerlessMonitor.Hosting;

/// <summary>
/// Hosted = started by the Azure Functions host as a custom handler (FUNCTIONS_CUSTOMHANDLER_PORT set):
/// the host owns the timers. Standalone = `dotnet run`: the app schedules its own timer functions.
/// </summary>
public sealed record HostingMode(bool IsHosted, int? Port)
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public string Name => IsHosted ? "custom-handler" : "standalone";

    public static HostingMode From(IConfiguration configuration)
    {
        var text = configuration[PortVariable];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new HostingMode(false, null);
        }
        return int.TryParse(text, out var port) && port is > 0 and < 65536
            ? new HostingMode(true, port)
            : throw new InvalidOperationException($"{PortVariable}='{text}' is not a TCP port number");
    }
}
