using System.Diagnostics;
using ServerlessMonitor.Tests.Hosting;

namespace ServerlessMonitor.Tests.Web.GeneratedClient;

/// <summary>
/// Runs Kiota, the dotnet tool pinned in .config/dotnet-tools.json (restored by `dotnet tool restore`), on an
/// OpenAPI document: the C# client it writes is what a team outside ours would generate from our document.
/// </summary>
internal static class KiotaGenerator
{
    public const string ClientName = "MonitorClient";
    public const string Namespace = "Generated.Monitor";

    /// <summary>Generates the client of <paramref name="documentPath"/> into <paramref name="outputDir"/>; returns its C# files.</summary>
    public static async Task<IReadOnlyList<string>> GenerateAsync(string documentPath, string outputDir)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = PublishedFunctionsApp.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "kiota", "generate", "--language", "CSharp", "--openapi", documentPath, "--output", outputDir,
            "--class-name", ClientName, "--namespace-name", Namespace, "--exclude-backward-compatible", "--clean-output",
            "--log-level", "Warning",
        })
        {
            info.ArgumentList.Add(argument);
        }
        // No look for a newer Kiota on GitHub: tests talk only to loopback.
        info.Environment["KIOTA_UPDATE_DISABLED"] = "true";
        info.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var files = Directory.Exists(outputDir) ? Directory.GetFiles(outputDir, "*.cs", SearchOption.AllDirectories) : [];
        if (process.ExitCode != 0 || files.Length == 0)
        {
            throw new InvalidOperationException($"`dotnet kiota generate` failed ({process.ExitCode}); run `dotnet tool restore` at the repository root first.\n"
                + $"{await stdout}\n{await stderr}");
        }
        return files;
    }
}
