using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NCrontab;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// Bicep cannot be compiled here, so the security and wiring invariants of infra/ are checked as text:
/// specific declarations must be present (and forbidden ones absent), not merely the files.
/// </summary>
public sealed class InfraInvariantsTests
{
    private static readonly string RepoRoot = FindRepoRoot();
    private static readonly string InfraDir = Path.Combine(RepoRoot, "infra");

    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([InfraDir, .. path]));

    private static IEnumerable<(string Name, string Text)> InfraFiles() =>
        Directory.EnumerateFiles(InfraDir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".bicep", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(RepoRoot, f), File.ReadAllText(f)));

    [Theory]
    [InlineData("Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b")]
    [InlineData("Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3")]
    [InlineData("EventGrid Data Sender", "d5a91429-5739-47e2-a06b-3470a27159e7")]
    [InlineData("Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb")]
    public void Rbac_AssignsLeastPrivilegeRole(string role, string roleDefinitionId)
    {
        var rbac = Read("app", "rbac.bicep");
        var variable = Regex.Match(rbac, $@"(?m)^var (\w+) = '{roleDefinitionId}'");
        Assert.True(variable.Success, $"{role} ({roleDefinitionId}) is not declared in rbac.bicep");
        // Used in a role assignment, not just declared.
        Assert.Contains($"roleDefinitions', {variable.Groups[1].Value})", rbac);
    }

    [Fact]
    public void Rbac_GrantsNoBroadRoles()
    {
        string[] broad =
        [
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
            "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
            "17d1049b-9a84-46fb-8f53-869881c3d3ab", // Storage Account Contributor (can list keys)
            "81a9662b-bebf-436f-a333-f67b29880f12", // Storage Account Key Operator
        ];
        foreach (var (name, text) in InfraFiles())
        {
            foreach (var id in broad)
            {
                Assert.False(text.Contains(id, StringComparison.OrdinalIgnoreCase), $"{name} assigns broad role {id}");
            }
        }
    }

    [Fact]
    public void Storage_DisablesSharedKeyAndPublicBlobAccess()
    {
        var storage = Read("app", "storage.bicep");
        Assert.Matches(@"(?m)^\s*allowSharedKeyAccess:\s*false\s*$", storage);
        Assert.Matches(@"(?m)^\s*allowBlobPublicAccess:\s*false\s*$", storage);
        Assert.DoesNotMatch(@"allowSharedKeyAccess:\s*true", storage);
    }

    [Theory]
    [InlineData("listKeys(")]
    [InlineData("listkeys(")]
    [InlineData("AccountKey=")]
    [InlineData("SharedAccessKey")]
    [InlineData("primaryKey")]
    [InlineData("EventGrid__TopicKey")]
    [InlineData("Storage__ConnectionString")]
    [InlineData("AzureWebJobsStorage:")]
    [InlineData("InstrumentationKey=")]
    public void Infra_ContainsNoKeysOrKeyBearingConnectionStrings(string forbidden)
    {
        foreach (var (name, text) in InfraFiles())
        {
            Assert.False(text.Contains(forbidden, StringComparison.Ordinal), $"{name} contains '{forbidden}'");
        }
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__accountName")]
    [InlineData("AzureWebJobsStorage__credential")]
    [InlineData("AzureWebJobsStorage__clientId")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")]
    [InlineData("AZURE_CLIENT_ID")]
    [InlineData("Monitor__Catalog")]
    [InlineData("Monitor__Region")]
    [InlineData("Monitor__Instance")]
    [InlineData("Monitor__ProbeSchedule")]
    [InlineData("Monitor__MaxConcurrency")]
    [InlineData("Monitor__RetentionDays")]
    [InlineData("Storage__Mode")]
    [InlineData("Storage__TableServiceUri")]
    [InlineData("Storage__ManagedIdentityClientId")]
    [InlineData("EventGrid__TopicEndpoint")]
    [InlineData("EventGrid__ManagedIdentityClientId")]
    public void FunctionApp_SetsRequiredAppSetting(string setting)
    {
        Assert.Matches($@"(?m)^\s*{setting}:\s*\S", AppSettingsBlock());
    }

    [Fact]
    public void FunctionApp_UsesTablesAndManagedIdentityEverywhere()
    {
        var settings = AppSettingsBlock();
        Assert.Matches(@"(?m)^\s*Storage__Mode:\s*'Tables'\s*$", settings);
        Assert.Matches(@"(?m)^\s*AzureWebJobsStorage__credential:\s*'managedidentity'\s*$", settings);
        Assert.Matches(@"(?m)^\s*APPLICATIONINSIGHTS_AUTHENTICATION_STRING:\s*'ClientId=\$\{identityClientId\};Authorization=AAD'\s*$", settings);
        Assert.Matches(@"(?m)^\s*Storage__TableServiceUri:\s*storage\.properties\.primaryEndpoints\.table\s*$", settings);
        Assert.Matches(@"(?m)^\s*type:\s*'UserAssignedIdentity'\s*$", Read("app", "app.bicep"));
    }

    [Fact]
    public void FunctionApp_TimerScheduleSettings_AreSetAndDefaultIsSixFieldNcrontab()
    {
        var settings = AppSettingsBlock();
        foreach (var functionJson in Directory.EnumerateFiles(Path.Combine(RepoRoot, "functions", "ServerlessMonitor"), "function.json", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                              && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var schedules = JsonNode.Parse(File.ReadAllText(functionJson))?["bindings"]?.AsArray()
                .Select(b => b?["schedule"]?.GetValue<string>())
                .Where(s => s is not null && s.StartsWith('%')) ?? [];
            foreach (var schedule in schedules)
            {
                Assert.Matches($@"(?m)^\s*{schedule!.Trim('%')}:\s*\S", settings);
            }
        }

        var defaultSchedule = Regex.Match(Read("main.bicep"), @"(?m)^param probeSchedule string = '([^']+)'");
        Assert.True(defaultSchedule.Success, "main.bicep has no probeSchedule default");
        Assert.Equal(6, defaultSchedule.Groups[1].Value.Split(' ').Length);
        Assert.NotNull(CrontabSchedule.TryParse(defaultSchedule.Groups[1].Value, new CrontabSchedule.ParseOptions { IncludingSeconds = true }));
    }

    [Fact]
    public void FunctionApp_RunsOnFlexConsumptionWithTheStackHostJsonNeeds()
    {
        var app = Read("app", "app.bicep");
        Assert.Matches(@"(?m)^\s*name:\s*'FC1'\s*$", app);
        Assert.Matches(@"(?m)^\s*tier:\s*'FlexConsumption'\s*$", app);

        // The isolated worker runs on the dotnet-isolated stack, at the major version the app targets.
        var targetFramework = XDocument.Load(Path.Combine(RepoRoot, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        var version = targetFramework.Replace("net", "", StringComparison.Ordinal);
        Assert.Matches(@"(?m)^param runtimeName string = 'dotnet-isolated'\s*$", app);
        Assert.Matches($@"(?m)^param runtimeVersion string = '{Regex.Escape(version)}'\s*$", app);
    }

    [Fact]
    public void Topic_AcceptsCloudEventsWithEntraIdOnly()
    {
        var eventGrid = Read("app", "eventgrid.bicep");
        Assert.Matches(@"(?m)^\s*inputSchema:\s*'CloudEventSchemaV1_0'\s*$", eventGrid);
        Assert.Matches(@"(?m)^\s*disableLocalAuth:\s*true\s*$", eventGrid);
        Assert.Matches(@"(?m)^\s*eventDeliverySchema:\s*'CloudEventSchemaV1_0'\s*$", eventGrid);
        Assert.Matches(@"(?m)^\s*subjectBeginsWith:", eventGrid);
        Assert.Matches(@"(?m)^\s*includedEventTypes:", eventGrid);
    }

    [Fact]
    public void ApplicationInsights_DisablesLocalAuth()
    {
        Assert.Matches(@"(?m)^\s*DisableLocalAuth:\s*true\s*$", Read("app", "monitoring.bicep"));
    }

    [Fact]
    public void AzureYaml_DeploysTheAppProjectToTheTaggedFunctionApp()
    {
        var azureYaml = File.ReadAllText(Path.Combine(RepoRoot, "azure.yaml"));
        Assert.Matches(@"(?m)^  monitor:\s*$", azureYaml);
        Assert.Matches(@"(?m)^\s+project:\s*\./functions/ServerlessMonitor\s*$", azureYaml);
        Assert.Matches(@"(?m)^\s+language:\s*dotnet\s*$", azureYaml);
        Assert.Matches(@"(?m)^\s+host:\s*function\s*$", azureYaml);
        Assert.True(File.Exists(Path.Combine(RepoRoot, "functions", "ServerlessMonitor", "ServerlessMonitor.csproj")));

        // azd finds the app to deploy by this tag.
        Assert.Contains("'azd-service-name': serviceName", Read("app", "app.bicep"));
        Assert.Matches(@"(?m)^\s*serviceName:\s*'monitor'\s*$", Read("main.bicep"));
    }

    [Fact]
    public void MainBicep_ModulesExist_AndOutputsStatusPageAndTopic()
    {
        var main = Read("main.bicep");
        var modules = Regex.Matches(main, @"(?m)^module \w+ '([^']+\.bicep)'").Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(modules);
        foreach (var module in modules)
        {
            Assert.True(File.Exists(Path.Combine(InfraDir, module)), $"main.bicep references missing module {module}");
        }

        Assert.Matches(@"(?m)^output STATUS_PAGE_URL string = 'https://\$\{app\.outputs\.defaultHostName\}/'", main);
        Assert.Matches(@"(?m)^output EVENTGRID_TOPIC_ENDPOINT string = eventGrid\.outputs\.endpoint", main);
    }

    [Fact]
    public void MainBicep_DeploysOneAppPerExtraRegion()
    {
        var main = Read("main.bicep");
        Assert.Matches(@"(?m)^param extraRegions array", main);
        Assert.Matches(@"(?m)^module extraApps 'app/app\.bicep' = \[for \(region, i\) in extraRegionList:", main);
        // Each extra region reports as itself.
        Assert.Matches(@"(?m)^\s*region: region\s*$", main);
        Assert.Matches(@"(?m)^output EXTRA_REGION_APP_NAMES string", main);
    }

    [Fact]
    public void ParametersFile_BindsAzdEnvironment_AndOnlyDeclaredParameters()
    {
        var parameters = JsonNode.Parse(Read("main.parameters.json"))!["parameters"]!.AsObject();
        Assert.Equal("${AZURE_ENV_NAME}", parameters["environmentName"]?["value"]?.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION}", parameters["location"]?["value"]?.GetValue<string>());

        var main = Read("main.bicep");
        foreach (var (name, _) in parameters)
        {
            Assert.Matches($@"(?m)^param {name} ", main);
        }
    }

    private static string AppSettingsBlock()
    {
        var app = Read("app", "app.bicep");
        var start = app.IndexOf("resource appSettings 'config'", StringComparison.Ordinal);
        Assert.True(start >= 0, "app.bicep has no appsettings config resource");
        return app[start..];
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ServerlessMonitor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ServerlessMonitor.sln not found above {AppContext.BaseDirectory}");
    }
}
