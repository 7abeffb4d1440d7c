namespace ServerlessMonitor.SelfCheck;

public static class SelfCheckExtensions
{
    /// <summary>
    /// The monitor self-check (docs/SELFCHECK.md): the offline rule, control targets, the location rows and their
    /// Monitor.Offline / .Online events. The probe cycle calls <see cref="SelfCheckService.AssessAsync"/>; the status
    /// answers read <see cref="MonitorStatusReader"/>.
    /// </summary>
    public static IHostApplicationBuilder AddSelfCheck(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SelfCheckOptions>().BindConfiguration(SelfCheckOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<LocationReader>();
        builder.Services.AddSingleton<ControlTargetProber>();
        builder.Services.AddSingleton<SelfCheckService>();
        builder.Services.AddSingleton<MonitorStatusReader>();
        return builder;
    }
}
