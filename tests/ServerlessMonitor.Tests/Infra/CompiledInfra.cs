using System.Text.Json.Nodes;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// Compiles and lints infra/main.bicep once for every test class of the "Compiled infra" collection and
/// exposes the ARM JSON that Azure would receive: the templates, the primary function app and its settings.
/// </summary>
public sealed class CompiledInfra : IAsyncLifetime
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string InfraDir => Path.Combine(RepoRoot, "infra");

    public static string MainBicep => Path.Combine(InfraDir, "main.bicep");

    /// <summary>The compiled main.json as text, for scans that must cover every module.</summary>
    public string Json { get; private set; } = "";

    public IReadOnlyList<BicepDiagnostic> BuildDiagnostics { get; private set; } = [];

    public IReadOnlyList<BicepDiagnostic> LintDiagnostics { get; private set; } = [];

    internal ArmTemplate Main { get; private set; } = null!;

    /// <summary>The module that deploys the primary region's function app (extra regions are a loop of the same module).</summary>
    internal ArmTemplate PrimaryApp => Main.Modules.Single(m => !m.IsLoop && m.OfType("Microsoft.Web/sites").Any());

    internal ArmTemplate ExtraApps => Main.Modules.Single(m => m.IsLoop && m.OfType("Microsoft.Web/sites").Any());

    internal JsonObject FunctionApp => PrimaryApp.OfType("Microsoft.Web/sites").Single();

    /// <summary>
    /// The function app's app settings (the `appsettings` config resource), names and values as compiled: the object literal of
    /// app.bicep, which is merged with the notification channels' settings (<see cref="MergedAppSettings"/>) when they are given.
    /// </summary>
    internal JsonObject AppSettings => AppSettingsNode is JsonObject literal ? literal
        : ArmExpression.UnionOfCreateObject(AppSettingsNode.GetValue<string>()).Literal;

    /// <summary>What the app settings literal is merged with (the expressions, as compiled).</summary>
    internal IReadOnlyList<string> MergedAppSettings => AppSettingsNode is JsonObject ? []
        : ArmExpression.UnionOfCreateObject(AppSettingsNode.GetValue<string>()).Merged;

    private JsonNode AppSettingsNode =>
        PrimaryApp.OfType("Microsoft.Web/sites/config")
            .Single(c => c["name"]!.GetValue<string>().Contains("'appsettings'", StringComparison.Ordinal))["properties"]!;

    /// <summary>Every resource of a type in main and its modules, with the template it is declared in.</summary>
    internal IEnumerable<(ArmTemplate Template, JsonObject Resource)> All(string type) =>
        Main.AllTemplates.SelectMany(t => t.OfType(type).Select(r => (t, r)));

    internal ArmTemplate Module(string deploymentName) => Main.Modules.Single(m => m.Name == deploymentName);

    public async Task InitializeAsync()
    {
        // Both at once: each spends most of its time starting up and type-loading.
        var build = BicepCli.RunAsync("build", MainBicep, "--stdout");
        var lint = BicepCli.RunAsync("lint", MainBicep);
        await Task.WhenAll(build, lint);

        var (built, linted) = (build.Result, lint.Result);
        if (built.ExitCode != 0 || string.IsNullOrWhiteSpace(built.StdOut))
        {
            throw new InvalidOperationException($"bicep build infra/main.bicep failed ({built.ExitCode}):\n{built.StdErr}");
        }

        Json = built.StdOut;
        Main = new ArmTemplate(JsonNode.Parse(built.StdOut)!.AsObject());
        BuildDiagnostics = built.Diagnostics;
        LintDiagnostics = linted.ExitCode == 0
            ? linted.Diagnostics
            : [.. linted.Diagnostics, new BicepDiagnostic("main.bicep", 0, 0, "Error", "exit-code", $"bicep lint exited {linted.ExitCode}: {linted.StdErr}")];
    }

    public Task DisposeAsync() => Task.CompletedTask;

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

/// <summary>
/// One bicep build and lint for every test class that joins this collection. The collection runs on its own,
/// after the parallel ones: the two bicep processes take both cores for seconds, long enough to push the
/// published-app tests past their request timeouts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CompiledInfraCollection : ICollectionFixture<CompiledInfra>
{
    public const string Name = "Compiled infra";
}
