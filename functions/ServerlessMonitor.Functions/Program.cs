using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ServerlessMonitor.Functions;

var builder = FunctionsApplication.CreateBuilder(args);

builder.AddMonitorFunctions();

await builder.Build().RunAsync();
