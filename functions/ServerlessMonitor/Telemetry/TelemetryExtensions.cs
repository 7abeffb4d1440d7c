using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Telemetry;

public static class TelemetryExtensions
{
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AzureMonitorAuthSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string OtlpSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// OpenTelemetry for the monitor: its meter and activity source, ASP.NET Core and HttpClient instrumentation,
    /// and the exporters the settings ask for — Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set,
    /// OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is, Prometheus (standalone) when Telemetry:Prometheus is on. With none of
    /// them nothing is registered at all: no listener, so every instrument stays off and costs nothing.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder, MonitorHost host)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var exporters = TelemetryExporters.From(builder.Configuration, host);
        builder.Services.AddSingleton(exporters);
        builder.Services.AddSingleton<ProbeTelemetry>();
        builder.Services.AddSingleton<EndpointStatusGauge>();
        builder.Services.AddSingleton(new Probing.ProbeHttpDiagnostics(ProbeSpans(builder.Configuration)));
        if (!exporters.Any)
        {
            return builder;
        }
        // Availability results go to the OpenTelemetry log exporters only, never to the console.
        builder.Logging.AddFilter(ProbeTelemetry.AvailabilityCategory, LogLevel.None);
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>(ProbeTelemetry.AvailabilityCategory, LogLevel.Information);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("serverlessmonitor", serviceInstanceId: builder.Configuration["Monitor:Instance"])
                .AddAttributes([new(TelemetryAttributes.Region, builder.Configuration["Monitor:Region"] ?? "local"), new("serverlessmonitor.host", host.Name)]))
            .WithTracing(t => t.AddSource(MonitorTelemetry.Name).AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = ProbeSpanFilter(builder.Configuration)))
            .WithMetrics(m => m.AddMeter(MonitorTelemetry.Name, MonitorTelemetry.StorageMeterName)
                .AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                .ConfigureServices(s => s.AddHostedService<GaugeStart>()))
            .WithLogging();
        if (exporters.Otlp)
        {
            otel.UseOtlpExporter();
        }
        if (exporters.AzureMonitor)
        {
            AddAzureMonitor(otel, builder.Configuration);
        }
        if (exporters.Prometheus)
        {
            otel.WithMetrics(m => m.AddPrometheusExporter());
        }
        return builder;
    }

    /// <summary>
    /// A span per probe request only with Telemetry:ProbeSpans: at 10,000 endpoints every 30 s that is 333 spans a second
    /// (and an Application Insights bill) saying what the probe metrics already say. The monitor's own calls are always traced.
    /// </summary>
    private static Func<HttpRequestMessage, bool> ProbeSpanFilter(IConfiguration configuration)
    {
        var probeSpans = ProbeSpans(configuration);
        return request => probeSpans || !request.Options.TryGetValue(Probing.HttpRequestFactory.ProbeRequest, out _);
    }

    private static bool ProbeSpans(IConfiguration configuration) =>
        configuration.GetValue<bool>($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.ProbeSpans)}");

    private static void AddAzureMonitor(IOpenTelemetryBuilder otel, IConfiguration configuration)
    {
        // Application Insights with local auth off (as infra/ deploys it) takes Entra ID tokens of the app's identity.
        var credential = AzureMonitorCredential(configuration[AzureMonitorAuthSetting]);
        void Configure(AzureMonitorExporterOptions o)
        {
            o.ConnectionString = configuration[AzureMonitorSetting];
            // Live metrics need the distro's UseAzureMonitorExporter; the per-signal exporters warn if it is left on.
            o.EnableLiveMetrics = false;
        }
        otel.WithTracing(t => t.AddAzureMonitorTraceExporter(Configure, credential))
            .WithMetrics(m => m.AddAzureMonitorMetricExporter(Configure, credential))
            .WithLogging(l => l.AddAzureMonitorLogExporter(Configure, credential));
    }

    /// <summary>"ClientId=…;Authorization=AAD" (the Functions platform's setting) as a managed identity credential; otherwise none.</summary>
    internal static ManagedIdentityCredential? AzureMonitorCredential(string? authentication)
    {
        var parts = (authentication ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var kind) || !kind.Equals("AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }

    /// <summary>
    /// Standalone's Prometheus scrape endpoint, when Telemetry:Prometheus is on: <c>/metrics</c> on 127.0.0.1:Telemetry:PrometheusPort
    /// without a key, or else on the app's own port behind the admin key.
    /// </summary>
    public static WebApplication MapMonitorMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (!options.Prometheus)
        {
            return app;
        }
        if (options.PrometheusPort is { } port)
        {
            ListenAlsoOn(app, $"http://127.0.0.1:{port}");
            app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null,
                predicate: c => c.Connection.LocalPort == port && c.Request.Path == MetricsPath, path: null, configureBranchedPipeline: null, optionsName: null);
        }
        else
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: c => c.Request.Path == MetricsPath, path: null,
                configureBranchedPipeline: b => b.UseMiddleware<MetricsKeyCheck>(), optionsName: null);
        }
        return app;
    }

    public const string MetricsPath = "/metrics";

    // Adding an address replaces the configured ones, so they are carried over first.
    private static void ListenAlsoOn(WebApplication app, string url)
    {
        if (app.Urls.Count == 0)
        {
            foreach (var configured in (app.Configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                app.Urls.Add(configured);
            }
        }
        app.Urls.Add(url);
    }
}
