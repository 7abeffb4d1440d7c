using Microsoft.Extensions.Options;
using NCrontab;

namespace ServerlessMonitor.Hosting;

public static class HostingExtensions
{
    public const string StandaloneUrl = "http://localhost:7071";

    /// <summary>Options, the clock, the listening address for the detected mode and (standalone) the scheduler.</summary>
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        var mode = HostingMode.From(builder.Configuration);
        builder.Services.AddSingleton(mode);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMonitorOptions();

        if (mode.IsHosted)
        {
            // The host talks to us over loopback only.
            builder.WebHost.UseUrls($"http://127.0.0.1:{mode.Port}");
        }
        else
        {
            if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            {
                builder.WebHost.UseUrls(StandaloneUrl);
            }
            builder.Services.AddHostedService<TimerScheduler>();
        }
        return builder;
    }

    public static IServiceCollection AddMonitorOptions(this IServiceCollection services)
    {
        services.AddOptions<MonitorOptions>().BindConfiguration(MonitorOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => IsValidSchedule(o.ProbeSchedule), "Monitor:ProbeSchedule must be a six-field NCRONTAB expression with seconds, e.g. '*/30 * * * * *'")
            .ValidateOnStart();
        return services;
    }

    internal static bool IsValidSchedule(string schedule) =>
        CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is not null;
}
