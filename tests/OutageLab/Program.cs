using System.Runtime.InteropServices;

namespace OutageLab;

/// <summary>
/// Runs the lab by hand on fixed ports so the monitor can watch it (see README.md). Settings come from
/// arguments (--HttpPort 5080) or OUTAGELAB_-prefixed environment variables (OUTAGELAB_HTTPPORT=5080).
/// </summary>
internal static class Program
{
    private static async Task Main(string[] args)
    {
        var config = new ConfigurationBuilder().AddEnvironmentVariables("OUTAGELAB_").AddCommandLine(args).Build();
        var options = new OutageLabOptions
        {
            HttpPort = config.GetValue("HttpPort", 5080),
            HttpsPort = config.GetValue("HttpsPort", 5443),
            RefusedPort = config.GetValue("RefusedPort", 5081),
            CertificateLifetime = TimeSpan.FromDays(config.GetValue("CertificateDays", 5.0)),
            Log = line => Console.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {line}"),
        };

        await using var lab = await OutageLabServer.StartAsync(options);
        Console.WriteLine($"OutageLab on {lab.HttpBase} and {lab.HttpsBase}");
        Console.WriteLine($"  certificate: self-signed, expires {lab.CertificateNotAfter:u}");
        Console.WriteLine($"  refused:     127.0.0.1:{lab.RefusedPort}" + (OutageLabServer.IsClosed(lab.RefusedPort) ? "" : "  (WARNING: something listens there)"));
        foreach (var (route, serves) in LabScenarios.Catalog)
        {
            Console.WriteLine($"  {route,-58} {serves}");
        }
        Console.WriteLine("Ctrl+C stops.");

        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.TrySetResult();
        });
        await stop.Task;
    }
}
