using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NCrontab;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// The function app as compiled from infra/app/app.bicep: Flex Consumption on the .NET isolated worker,
/// every setting the app reads, the timer schedules the host resolves, CORS and the extra regions.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class FunctionAppInfraTests(CompiledInfra infra)
{
    [Fact]
    public void FunctionApp_RunsOnFlexConsumption_DotnetIsolatedOfTheAppsTargetFramework()
    {
        var plan = Assert.Single(infra.PrimaryApp.OfType("Microsoft.Web/serverfarms"));
        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
        Assert.True(plan["properties"]!["reserved"]!.GetValue<bool>(), "Flex Consumption plans are Linux (reserved: true)");
        Assert.Equal("functionapp,linux", infra.FunctionApp["kind"]!.GetValue<string>());

        var runtime = infra.FunctionApp["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", infra.PrimaryApp.ResolveString(runtime["name"]));
        var targetFramework = XDocument.Load(Path.Combine(CompiledInfra.RepoRoot, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        Assert.Equal("net10.0", targetFramework);
        Assert.Equal(targetFramework["net".Length..], infra.PrimaryApp.ResolveString(runtime["version"]));
        Assert.True(infra.FunctionApp["properties"]!["httpsOnly"]!.GetValue<bool>());
        Assert.Equal("1.2", infra.FunctionApp["properties"]!["siteConfig"]!["minTlsVersion"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__accountName")]
    [InlineData("AzureWebJobsStorage__blobServiceUri")]
    [InlineData("AzureWebJobsStorage__queueServiceUri")]
    [InlineData("AzureWebJobsStorage__tableServiceUri")]
    [InlineData("AzureWebJobsStorage__credential")]
    [InlineData("AzureWebJobsStorage__clientId")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")]
    [InlineData("AZURE_CLIENT_ID")]
    [InlineData("Monitor__Catalog")]
    [InlineData("Monitor__Region")]
    [InlineData("Monitor__Instance")]
    [InlineData("Monitor__ProbeSchedule")]
    [InlineData("Monitor__RetentionSchedule")]
    [InlineData("Alerts__Schedule")]
    [InlineData("Monitor__MaxConcurrency")]
    [InlineData("Monitor__RawRetention")]
    [InlineData("Monitor__DownQuorum")]
    [InlineData("Storage__Mode")]
    [InlineData("Storage__TableServiceUri")]
    [InlineData("Storage__ManagedIdentityClientId")]
    [InlineData("EventGrid__TopicEndpoint")]
    [InlineData("EventGrid__ManagedIdentityClientId")]
    [InlineData("Alerts__StatusPageUrl")]
    [InlineData("Telemetry__AvailabilityResults")]
    public void FunctionApp_SetsAppSettingTheAppReads(string setting)
    {
        var value = infra.AppSettings[setting];
        Assert.True(value is JsonValue v && !string.IsNullOrWhiteSpace(v.ToString()), $"app setting {setting} is not set");
    }

    [Fact]
    public void FunctionApp_UsesTablesAndStorageEndpointsOfTheAccount()
    {
        var settings = infra.AppSettings;
        Assert.Equal("Tables", settings["Storage__Mode"]!.GetValue<string>());
        Assert.Equal("[parameters('storageAccountName')]", settings["AzureWebJobsStorage__accountName"]!.GetValue<string>());
        Assert.EndsWith(".primaryEndpoints.table]", settings["Storage__TableServiceUri"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var service in (string[])["blob", "queue", "table"])
        {
            var uri = settings[$"AzureWebJobsStorage__{service}ServiceUri"]!.GetValue<string>();
            Assert.EndsWith($".primaryEndpoints.{service}]", uri, StringComparison.Ordinal);
        }

        Assert.EndsWith(".ConnectionString]", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("[parameters('topicEndpoint')]", settings["EventGrid__TopicEndpoint"]!.GetValue<string>());
        Assert.Matches(@"(?i)'eventgrid'.*\.outputs\.endpoint\.value\]$", infra.PrimaryApp.PassedExpression("topicEndpoint"));
    }

    [Theory]
    [InlineData("AzureWebJobsStorage")] // a connection string: identity-based AzureWebJobsStorage__* instead
    [InlineData("FUNCTIONS_WORKER_RUNTIME")] // Flex Consumption: functionAppConfig.runtime instead
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")] // Flex Consumption: functionAppConfig.deployment instead
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("WEBSITE_CONTENTSHARE")]
    public void FunctionApp_DoesNotSetSettingFlexConsumptionRejectsOrThatHoldsAKey(string setting)
    {
        Assert.DoesNotContain(setting, infra.AppSettings.Select(s => s.Key));
    }

    [Theory]
    [InlineData("Monitor__ProbeSchedule", "*/30 * * * * *")] // ProbeTimer
    [InlineData("Monitor__RetentionSchedule", "0 15 3 * * *")] // RetentionTimer
    [InlineData("Alerts__Schedule", "0 * * * * *")] // AlertsTimer
    public void TimerSchedule_IsAnAppSetting_DefaultingToTheAppsSixFieldSchedule(string setting, string appDefault)
    {
        // The host resolves %Monitor:ProbeSchedule% from app settings and fails to index a timer whose setting is missing.
        var schedule = infra.PrimaryApp.ResolveString(infra.AppSettings[setting]);
        Assert.Equal(appDefault, schedule);
        Assert.Equal(6, schedule!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.NotNull(CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }));
    }

    [Fact]
    public void TimerSchedule_EverySettingTheAppsTimersReference_IsAnAppSetting()
    {
        // [TimerTrigger("%Monitor:ProbeSchedule%")] in the worker, "schedule": "%…%" in a function.json.
        var referenced = Directory.EnumerateFiles(Path.Combine(CompiledInfra.RepoRoot, "functions"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || Path.GetFileName(f) == "function.json")
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Intersect(["bin", "obj"]).Any())
            .SelectMany(f => TimerScheduleReference().Matches(File.ReadAllText(f)))
            .Select(m => m.Groups["setting"].Value.Replace(":", "__", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.NotEmpty(referenced);
        Assert.All(referenced, setting => Assert.Contains(setting, infra.AppSettings.Select(s => s.Key)));
    }

    [Fact]
    public void LocalSettingsExample_EverySettingIsSetInAzureOrDeliberatelyLeftOut()
    {
        var examples = Directory.EnumerateFiles(CompiledInfra.RepoRoot, "local.settings.example.json", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Intersect(["bin", "obj", "node_modules"]).Any())
            .ToList();
        Assert.NotEmpty(examples);

        var unaccounted = examples
            .SelectMany(f => JsonNode.Parse(File.ReadAllText(f))!["Values"]!.AsObject().Select(v => v.Key))
            .Distinct()
            .Where(key => infra.AppSettings[key] is null && !LeftOutOfAzure.Any(o => key == o || key.StartsWith(o + "__", StringComparison.Ordinal)))
            .ToList();
        Assert.True(unaccounted.Count == 0,
            $"set these in infra/app/app.bicep, or add them to {nameof(LeftOutOfAzure)} with the reason: {string.Join(", ", unaccounted)}");
    }

    /// <summary>Settings of local.settings.example.json that a deployment in Azure does not set, and why.</summary>
    private static readonly string[] LeftOutOfAzure =
    [
        "FUNCTIONS_WORKER_RUNTIME", // Flex Consumption: functionAppConfig.runtime
        "AzureWebJobsStorage", // a connection string; AzureWebJobsStorage__* with the managed identity instead
        "Storage__ConnectionString", "EventGrid__TopicKey", "Admin__Key", // keys: standalone runs only
        "Storage__SqlitePath", "Storage__TablePrefix", "Storage__WriteBehind", // SQLite backend; test isolation
        "Alerts__Webhooks", // direct webhooks: Event Grid does the fan-out in Azure
        // Tunables whose defaults in code are what a deployment wants; set them in the portal to change one.
        "Monitor__EventRetention", "Monitor__HourlyRollupRetention", "Monitor__DailyRollupRetention",
        "Monitor__ConfirmationDelay", "Monitor__MaxBodyBytes", "Monitor__SelfCheckMinServices", "Monitor__ControlTargetTimeout", "Monitor__Flapping",
        // Monitor self-check: it works on the catalog alone; control targets are the operator's choice (docs/SELFCHECK.md).
        "Monitor__ControlTargets",
        "Alerts__ReminderInterval", "Alerts__CertificateWarning", "Alerts__MaxAge",
        "Reports__PermitLimit", "Reports__Window", "Reports__SurgeMinimum", "Reports__SurgeFactor", "Reports__SurgeNetworks",
        "Admin__MaxFailedAttempts", "Admin__FailureWindow",
        "Web__RequestsPerMinute", "Web__SnapshotRefresh",
        // Partner sites allowed to post reports from their pages: none unless an operator adds them.
        "Reports__AllowedOrigins__0",
        // Telemetry: Azure Monitor is wired; OTLP is the operator's own collector; Prometheus is standalone's; per-endpoint series are opt-in.
        "OTEL_EXPORTER_OTLP_ENDPOINT", "Telemetry__PerEndpointMetrics", "Telemetry__ProbeSpans", "Telemetry__Prometheus", "Telemetry__PrometheusPort",
    ];

    [Fact]
    public void Cors_AllowsAnyOriginByDefault_WithoutCredentials()
    {
        var cors = infra.FunctionApp["properties"]!["siteConfig"]!["cors"]!;
        Assert.False(cors["supportCredentials"]!.GetValue<bool>());
        var origins = Assert.IsType<JsonArray>(infra.PrimaryApp.Resolve(cors["allowedOrigins"]));
        Assert.Equal(["*"], origins.Select(o => o!.GetValue<string>()));

        // A parameter of main.bicep, documented, so a deployment can list its own origins instead.
        Assert.False(string.IsNullOrWhiteSpace(infra.Main.Json["parameters"]?["corsAllowedOrigins"]?["metadata"]?["description"]?.GetValue<string>()));
    }

    [Fact]
    public void PrimaryApp_IsTheOneAzdDeploysTo()
    {
        Assert.Contains("'azd-service-name'", infra.FunctionApp["tags"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("monitor", infra.PrimaryApp.ResolveString(infra.PrimaryApp.Parameter("serviceName")));
        Assert.Equal("", infra.ExtraApps.ResolveString(infra.ExtraApps.Parameter("serviceName")));
    }

    [Fact]
    public void ExtraRegions_EachGetTheSameApp_ReportingAsTheirRegion_LinkingThePrimaryStatusPage()
    {
        var extra = infra.ExtraApps;
        Assert.Contains("copyIndex()", extra.PassedExpression("region"), StringComparison.Ordinal);
        Assert.Equal("[parameters('location')]", infra.PrimaryApp.PassedExpression("region"));
        Assert.Equal("[parameters('region')]", infra.AppSettings["Monitor__Region"]!.GetValue<string>());
        Assert.Matches(@"'app\b.*\.outputs\.statusPageUrl\.value\]$", extra.PassedExpression("statusPageUrl"));
        Assert.Equal("[]", infra.Main.Json["parameters"]?["extraRegions"]?["defaultValue"]?.ToJsonString());
    }

    [Theory]
    [InlineData("STATUS_PAGE_URL", @"'app\b.*\.outputs\.statusPageUrl\.value\]$")]
    [InlineData("SERVICE_MONITOR_NAME", @"'app\b.*\.outputs\.name\.value\]$")]
    [InlineData("EVENTGRID_TOPIC_NAME", @"(?i)'eventgrid'.*\.outputs\.name\.value\]$")]
    [InlineData("EVENTGRID_TOPIC_ENDPOINT", @"(?i)'eventgrid'.*\.outputs\.endpoint\.value\]$")]
    [InlineData("EXTRA_REGION_APP_NAMES", @"^\[join\(variables\('extraAppNames'\), ' '\)\]$")]
    [InlineData("AZURE_RESOURCE_GROUP", @"rg-")]
    public void MainBicep_OutputsWhatAzdAndTheHooksRead(string output, string valuePattern)
    {
        var value = infra.Main.Json["outputs"]?[output]?["value"]?.GetValue<string>();
        Assert.NotNull(value);
        Assert.Matches(valuePattern, value);
    }

    [GeneratedRegex("""(?:TimerTrigger\(\s*|"schedule"\s*:\s*)"%(?<setting>[^%"]+)%"[^\n]*""")]
    private static partial Regex TimerScheduleReference();
}
