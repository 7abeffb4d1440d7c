using System.Diagnostics;
using System.Text.Json;
using ServerlessMonitor.Tests.Infra;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>
/// The Adaptive Cards library itself (npm <c>adaptivecards</c>, installed in tests/adaptivecards by .ci/run, run with
/// Node like Azurite): parses a card as a 1.5 client does and reports its parse events (unknown elements, bad
/// values) and validation failures. A card Teams would show as sent has neither.
/// </summary>
public static class AdaptiveCardsLibrary
{
    private static string Script => Path.Combine(CompiledInfra.RepoRoot, "tests", "adaptivecards", "parse.mjs");

    /// <summary>The library's complaints about the card (empty when it parses cleanly), plus its element counts.</summary>
    public static async Task<(IReadOnlyList<string> Problems, int Body, int Actions, string? Version)> ParseAsync(JsonElement card)
    {
        var start = new ProcessStartInfo("node", [Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(card.GetRawText());
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"adaptivecards parse failed ({node.ExitCode}): {error} (run npm ci --prefix tests/adaptivecards)");
        }
        var result = JsonDocument.Parse(output).RootElement;
        var problems = result.GetProperty("events").EnumerateArray().Concat(result.GetProperty("validation").EnumerateArray())
            .Select(e => e.GetProperty("message").GetString()!).ToList();
        return (problems, result.GetProperty("bodyCount").GetInt32(), result.GetProperty("actionCount").GetInt32(),
            result.GetProperty("version").GetString());
    }
}
