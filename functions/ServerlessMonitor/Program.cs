using ServerlessMonitor.Admin;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddHosting();
builder.AddCatalog();
builder.AddStorage();
builder.AddAlerts();
builder.AddProbing();
builder.AddStatus();
builder.AddIncidents();
builder.AddHistory();
builder.AddReports();
builder.AddWeb();
builder.AddAdmin();
builder.AddApiDocs();

var app = builder.Build();

app.UseWeb();
app.MapStatusApi();
app.MapIncidentsApi();
app.MapHistoryApi();
app.MapReportsApi();
app.MapBadges();
app.MapFeed();
app.MapStatusPage();
app.MapAdminApi();
app.MapApiDocs();
app.MapTimerFunctions();

return await app.RunOrExplainAsync();

public partial class Program;
