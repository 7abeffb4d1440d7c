using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Catalog;

/// <summary>
/// Holds the current catalog. The file is re-read when it changes; a file with errors is logged and
/// ignored, so a bad edit never replaces a good catalog. At start-up an invalid file is fatal.
/// </summary>
public sealed class CatalogProvider
{
    private readonly string _path;
    private readonly ILogger<CatalogProvider> _logger;
    private readonly Lock _gate = new();
    private DateTime _loadedWriteTime;
    private MonitorCatalog _current;

    private readonly ProbeCadence _cadence;

    public CatalogProvider(IOptions<MonitorOptions> options, IHostEnvironment environment, ProbeCadence cadence, ILogger<CatalogProvider> logger)
    {
        _logger = logger;
        _cadence = cadence;
        _path = Resolve(options.Value.Catalog, environment.ContentRootPath);
        var (catalog, errors) = Read();
        if (catalog is null)
        {
            throw new CatalogException(_path, errors);
        }
        _current = catalog;
        _logger.LogInformation("Catalog {Path}: {Services} services, {Endpoints} endpoints", _path,
            catalog.Services.Count, catalog.AllEndpoints().Count());
        WarnAboutIntervals(catalog);
    }

    /// <summary>The catalog in force, reloaded first if the file changed since the last look.</summary>
    public MonitorCatalog Current
    {
        get
        {
            lock (_gate)
            {
                if (File.Exists(_path) && File.GetLastWriteTimeUtc(_path) != _loadedWriteTime)
                {
                    var (catalog, errors) = Read();
                    if (catalog is not null)
                    {
                        _current = catalog;
                        _logger.LogInformation("Catalog {Path} reloaded", _path);
                        WarnAboutIntervals(catalog);
                    }
                    else
                    {
                        _logger.LogError("Catalog {Path} has errors and was not applied; the previous catalog stays in force:\n{Errors}",
                            _path, string.Join('\n', errors));
                    }
                }
                return _current;
            }
        }
    }

    /// <summary>Endpoints the probe timer cannot probe at their own interval, each with its JSON path (not errors: they are still probed).</summary>
    private void WarnAboutIntervals(MonitorCatalog catalog)
    {
        foreach (var warning in _cadence.Warnings(catalog))
        {
            _logger.LogWarning("Catalog {Path}: {Warning}", _path, warning);
        }
    }

    private (MonitorCatalog? Catalog, IReadOnlyList<string> Errors) Read()
    {
        if (!File.Exists(_path))
        {
            return (null, [$"$: catalog file '{_path}' not found (set Monitor:Catalog)"]);
        }
        _loadedWriteTime = File.GetLastWriteTimeUtc(_path);
        var result = CatalogLoader.Load(File.ReadAllText(_path));
        return (result.Catalog, result.Errors);
    }

    private static string Resolve(string path, string contentRoot)
    {
        if (System.IO.Path.IsPathRooted(path))
        {
            return path;
        }
        var candidates = new[] { System.IO.Path.Combine(contentRoot, path), System.IO.Path.Combine(AppContext.BaseDirectory, path) };
        return System.IO.Path.GetFullPath(candidates.FirstOrDefault(File.Exists) ?? candidates[0]);
    }
}

public sealed class CatalogException(string path, IReadOnlyList<string> errors)
    : Exception($"Catalog '{path}' is invalid ({errors.Count} problem(s)):\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
