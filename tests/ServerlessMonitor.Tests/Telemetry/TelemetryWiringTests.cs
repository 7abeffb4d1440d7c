using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Telemetry;

namespace ServerlessMonitor.Tests.Telemetry;

public sealed class TelemetryWiringTests
{
    [Fact]
    public void AddTelemetry_NoExporterSetting_RegistersNoOpenTelemetry()
    {
        using var host = Build(MonitorHost.Standalone, []);

        Assert.Null(host.Services.GetService<MeterProvider>());
        Assert.Null(host.Services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/")]
    [InlineData("Telemetry:Prometheus", "true")]
    public void AddTelemetry_OneExporterSet_RegistersTracingAndMetrics(string setting, string value)
    {
        using var host = Build(MonitorHost.Standalone, new() { [setting] = value });

        Assert.NotNull(host.Services.GetService<MeterProvider>());
        Assert.NotNull(host.Services.GetService<TracerProvider>());
    }

    [Fact]
    public void AddTelemetry_PrometheusOnTheFunctionsHost_IsIgnored()
    {
        Assert.False(TelemetryExporters.From(Config(new() { ["Telemetry:Prometheus"] = "true" }), MonitorHost.Functions).Any);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD", true)]
    [InlineData("Authorization=AAD", true)]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555", false)]
    public void AzureMonitorCredential_AuthenticationString_ManagedIdentityOnlyForAad(string? authentication, bool expected)
    {
        Assert.Equal(expected, TelemetryExtensions.AzureMonitorCredential(authentication) is not null);
    }

    private static IHost Build(MonitorHost monitorHost, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddTelemetry(monitorHost);
        return builder.Build();
    }

    private static IConfiguration Config(Dictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
