using System.Security.Cryptography;

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
    /// The key stored at <paramref name="path"/>, or a new one. Written aside, then moved into place without overwriting:
    /// two hosts starting at once on one data folder end with one key (the loser reads the winner's), never half a file.
    /// </summary>
    internal static string ReadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Read(path);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(temp, options))
        {
            writer.Write(key);
        }
        try
        {
            File.Move(temp, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return Read(path);
        }
    }

    private static string Read(string path) =>
        File.ReadAllText(path).Trim() is { Length: >= 32 } stored
            ? stored
            : throw new InvalidOperationException($"The signing key file {path} does not hold a key (at least 32 characters); delete it to have a new key made, or set {Setting}.");
}
