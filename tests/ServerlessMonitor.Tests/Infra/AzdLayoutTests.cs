using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>The azd side of the deployment: azure.yaml, the parameters file and the extra-region hooks.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class AzdLayoutTests(CompiledInfra infra)
{
    private const string FunctionsProject = "./functions/ServerlessMonitor.Functions";

    private static string AzureYaml => File.ReadAllText(Path.Combine(CompiledInfra.RepoRoot, "azure.yaml"));

    [Fact]
    public void AzureYaml_DeploysTheIsolatedWorkerProjectAsAFunctionApp()
    {
        var azureYaml = AzureYaml;
        // The service name is the azd-service-name tag main.bicep puts on the primary app.
        Assert.Matches(@"(?m)^  monitor:\s*$", azureYaml);
        Assert.Matches($@"(?m)^\s+project:\s*{Regex.Escape(FunctionsProject)}\s*$", azureYaml);
        Assert.Matches(@"(?m)^\s+language:\s*dotnet\s*$", azureYaml);
        Assert.Matches(@"(?m)^\s+host:\s*function\s*$", azureYaml);
        Assert.True(File.Exists(Path.Combine(CompiledInfra.RepoRoot, FunctionsProject, "ServerlessMonitor.Functions.csproj")),
            $"{FunctionsProject} is not the Functions app project");
        Assert.Equal("monitor", infra.PrimaryApp.ResolveString(infra.PrimaryApp.Parameter("serviceName")));
    }

    [Theory]
    [InlineData("deploy-extra-regions.sh")]
    [InlineData("deploy-extra-regions.ps1")]
    public void ExtraRegionHook_PublishesTheProjectAzdDeploys(string script)
    {
        var text = File.ReadAllText(Path.Combine(CompiledInfra.InfraDir, "scripts", script));
        Assert.Matches($@"dotnet publish {Regex.Escape(FunctionsProject)} -c Release", text);
        Assert.Matches($@"(?m)^\s+run:\s*\./infra/scripts/{Regex.Escape(script)}\s*$", AzureYaml);
    }

    [Fact]
    public void ParametersFile_BindsAzdEnvironment_AndOnlyDeclaredParameters()
    {
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(CompiledInfra.InfraDir, "main.parameters.json")))!["parameters"]!.AsObject();
        Assert.Equal("${AZURE_ENV_NAME}", parameters["environmentName"]?["value"]?.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION}", parameters["location"]?["value"]?.GetValue<string>());

        var declared = infra.Main.Json["parameters"]!.AsObject().Select(p => p.Key).ToHashSet();
        Assert.All(parameters, p => Assert.Contains(p.Key, declared));
    }
}
