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

    private static string ReadOrCreate(string path)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 32 } existing)
        {
            return existing;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(key);
        }
        return key;
    }
}
