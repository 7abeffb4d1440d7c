using ServerlessMonitor.Tests.Storage;

namespace ServerlessMonitor.Tests.Support;

/// <summary>Settings that put an app on one of the two storage backends, with tables of its own.</summary>
public static class Backends
{
    public static Dictionary<string, string?> Settings(string backend, AzuriteFixture azurite, string sqlitePath, string tablePrefix) => backend switch
    {
        "sqlite" => new() { ["Storage:Mode"] = "Sqlite", ["Storage:SqlitePath"] = sqlitePath },
        "tables" => new()
        {
            ["Storage:Mode"] = "Tables",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = tablePrefix,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(backend)),
    };

    public static Dictionary<string, string?> With(this Dictionary<string, string?> a, IDictionary<string, string?> b)
    {
        foreach (var (k, v) in b)
        {
            a[k] = v;
        }
        return a;
    }
}
