using System.Diagnostics;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>Finds node/npm and the tests/azurite npm project, installs its packages and runs its scripts.</summary>
internal sealed class NodeTools
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private NodeTools(string nodePath, string npmPath, string projectDirectory)
    {
        NodePath = nodePath;
        NpmPath = npmPath;
        ProjectDirectory = projectDirectory;
    }

    public string NodePath { get; }

    public string NpmPath { get; }

    public string ProjectDirectory { get; }

    public static NodeTools Locate()
    {
        var windows = OperatingSystem.IsWindows();
        var node = FindOnPath(windows ? "node.exe" : "node");
        var npm = FindOnPath(windows ? "npm.cmd" : "npm");
        if (node is null || npm is null)
        {
            // Failing beats skipping: a silently skipped storage suite looks green and proves nothing.
            throw new InvalidOperationException(
                "The Azure Tables tests need Node.js 20+ with npm on PATH to run Azurite (tests/azurite). Install Node.js, then run the tests again.");
        }
        return new NodeTools(node, npm, FindProjectDirectory());
    }

    /// <summary>`npm ci` when the packages are missing; the lock file pins every version.</summary>
    public async Task EnsurePackagesAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            var azurite = Path.Combine(ProjectDirectory, "node_modules", "azurite", "dist", "src", "table", "main.js");
            var sdk = Path.Combine(ProjectDirectory, "node_modules", "@azure", "data-tables", "package.json");
            if (File.Exists(azurite) && File.Exists(sdk))
            {
                return;
            }
            var (code, output) = await ExecAsync(NpmPath, ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(10));
            if (code != 0)
            {
                throw new InvalidOperationException($"`npm ci` in {ProjectDirectory} failed with exit code {code}:\n{output}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    public async Task<string> RunAsync(string script, IEnumerable<string> args)
    {
        var (code, output) = await ExecAsync(NodePath, [script, .. args], TimeSpan.FromMinutes(1));
        return code == 0 ? output : throw new InvalidOperationException($"node {script} failed with exit code {code}:\n{output}");
    }

    private async Task<(int Code, string Output)> ExecAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = ProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', args)} did not finish within {timeout}");
        }
        var output = await stdout;
        return process.ExitCode == 0 ? (0, output) : (process.ExitCode, output + await stderr);
    }

    private static string FindProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "azurite");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"tests/azurite/package.json not found above {AppContext.BaseDirectory}");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
