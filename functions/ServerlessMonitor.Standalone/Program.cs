using ServerlessMonitor;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Telemetry;
using ServerlessMonitor.Standalone;

var builder = WebApplication.CreateBuilder(args);

builder.AddMonitor(MonitorHost.Standalone);
builder.AddStandaloneHosting();

var app = builder.Build();

app.UseStandaloneHttp();
app.MapMonitorMetrics();
app.MapMonitorRoutes();

return await app.RunOrExplainAsync();

public partial class Program;
