using System.Security.Cryptography;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Standalone;

/// <summary>
/// Standalone runs need no setup for email subscriptions' signing key: without <c>Subscriptions:SigningKey</c> one is
/// generated on first run and kept in <c>subscriptions-signing.key</c> beside the SQLite file (owner-only on Unix), so
/// confirmation links keep working across restarts. On Azure the key is an app setting (a secure Bicep parameter).
/// </summary>
public static class GeneratedSigningKey
{
    public const string FileName = "subscriptions-signing.key";
    private const string Setting = "Subscriptions:SigningKey";

    public static WebApplicationBuilder AddGeneratedSigningKey(this WebApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration[Setting]))
        {
            return builder;
        }
        var database = Path.Combine(builder.Environment.ContentRootPath, builder.Configuration["Storage:SqlitePath"] is { Length: > 0 } p ? p : Path.Combine("data", "monitor.db"));
        var path = Path.Combine(Path.GetDirectoryName(database)!, FileName);
        builder.Configuration.AddInMemoryCollection([new(Setting, ReadOrCreate(path))]);
        return builder;
    }

    /// <summary>
    /// The key stored at <paramref name="path"/>, or a new one published there (<see cref="FirstFileWins"/>): two hosts starting
    /// at once on one data folder end with one key (the loser reads the winner's), never half a file.
    /// </summary>
    internal static string ReadOrCreate(string path) =>
        Check(path, FirstFileWins.ReadOrCreate(path, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

    private static string Check(string path, string stored) =>
        stored.Trim() is { Length: >= 32 } key
            ? key
            : throw new InvalidOperationException($"The signing key file {path} does not hold a key (at least 32 characters); delete it to have a new key made, or set {Setting}.");
}
