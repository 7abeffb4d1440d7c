using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>One diagnostic line of the bicep CLI: <c>file(line,col) : Warning rule-id: message</c>.</summary>
public sealed record BicepDiagnostic(string File, int Line, int Column, string Level, string Code, string Message)
{
    public override string ToString() => $"{File}({Line},{Column}) : {Level} {Code}: {Message}";
}

/// <summary>
/// The bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package: restore downloads it and the test
/// project records the package folder as assembly metadata (ServerlessMonitor.Tests.csproj).
/// </summary>
internal static partial class BicepCli
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public IReadOnlyList<BicepDiagnostic> Diagnostics { get; } = Parse(StdOut + "\n" + StdErr);
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static string Executable { get; } = Locate();

    /// <summary>
    /// Runs <c>bicep {command} {file} --no-restore {extra}</c>. Without --no-restore the CLI fetches the public
    /// module index over the network even when no module comes from a registry; infra/ uses local modules only.
    /// </summary>
    public static async Task<Result> RunAsync(string command, string file, params string[] extra)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[command, file, "--no-restore", .. extra])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {command} {file} did not finish within {Timeout}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static string Locate()
    {
        var package = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepPackagePath")?.Value;
        if (string.IsNullOrEmpty(package))
        {
            throw new InvalidOperationException("BicepPackagePath assembly metadata is missing: restore the test project (Azure.Bicep.CommandLine.linux-x64).");
        }

        var bicep = Path.Combine(package, "tools", "bicep");
        if (!File.Exists(bicep))
        {
            throw new FileNotFoundException($"bicep CLI not found at {bicep}: run `dotnet restore`.", bicep);
        }

        // NuGet extraction does not promise to keep the executable bit.
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(bicep).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return bicep;
    }

    private static List<BicepDiagnostic> Parse(string output) =>
        DiagnosticLine().Matches(output)
            .Select(m => new BicepDiagnostic(
                m.Groups["file"].Value, int.Parse(m.Groups["line"].Value), int.Parse(m.Groups["col"].Value),
                m.Groups["level"].Value, m.Groups["code"].Value, m.Groups["message"].Value.TrimEnd()))
            .ToList();

    [GeneratedRegex(@"(?m)^(?<file>.+?)\((?<line>\d+),(?<col>\d+)\) : (?<level>Error|Warning|Info) (?<code>[^:\s]+): (?<message>.*)$")]
    private static partial Regex DiagnosticLine();
}
