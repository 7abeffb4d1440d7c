using System.Text.Json;

namespace ServerlessMonitor.Catalog;

/// <summary>
/// Reads and validates a catalog. Collects every problem with its JSON path instead of stopping at
/// the first, so an operator fixes the file in one go.
/// </summary>
public static class CatalogLoader
{
    private static readonly string[] ServiceProps = ["id", "name", "category", "endpoints", "browserCheck", "dependsOn"];
    private static readonly string[] MaintenanceProps = ["service", "endpoint", "start", "duration", "every"];

    public static CatalogLoadResult Load(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            return new CatalogLoadResult(null, [$"$: not valid JSON ({e.Message})"]);
        }
        using (doc)
        {
            var r = new JsonReaderContext();
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new CatalogLoadResult(null, ["$: the catalog must be a JSON object with a \"services\" array"]);
            }
            r.DuplicateProperties(root, "");
            r.UnknownProperties(root, "", ["services", "maintenance", "$schema"]);
            var services = new List<ServiceDefinition>();
            if (!root.TryGetProperty("services", out var servicesJson) || servicesJson.ValueKind != JsonValueKind.Array || servicesJson.GetArrayLength() == 0)
            {
                r.Error("services", "required: a non-empty array of services");
            }
            else
            {
                var i = 0;
                foreach (var s in servicesJson.EnumerateArray())
                {
                    if (ReadService(r, s, $"services[{i++}]") is { } service)
                    {
                        services.Add(service);
                    }
                }
                foreach (var dup in services.GroupBy(s => s.Id).Where(g => g.Count() > 1))
                {
                    r.Error($"services[{services.FindLastIndex(s => s.Id == dup.Key)}].id", $"duplicate service id '{dup.Key}'");
                }
            }
            if (r.Errors.Count == 0)
            {
                Dependencies.Check(r, services);
            }
            var maintenance = new List<MaintenanceWindow>();
            if (root.TryGetProperty("maintenance", out var mJson))
            {
                if (mJson.ValueKind != JsonValueKind.Array)
                {
                    r.Error("maintenance", "must be an array");
                }
                else
                {
                    var i = 0;
                    foreach (var m in mJson.EnumerateArray())
                    {
                        if (ReadMaintenance(r, m, $"maintenance[{i++}]", services) is { } window)
                        {
                            maintenance.Add(window);
                        }
                    }
                }
            }
            return r.Errors.Count > 0
                ? new CatalogLoadResult(null, r.Errors)
                : new CatalogLoadResult(new MonitorCatalog(services, maintenance), []);
        }
    }

    private static ServiceDefinition? ReadService(JsonReaderContext r, JsonElement s, string path)
    {
        if (s.ValueKind != JsonValueKind.Object)
        {
            r.Error(path, "must be an object");
            return null;
        }
        r.UnknownProperties(s, path, ServiceProps);
        var id = r.Id(s, path);
        var name = r.Text(s, path, "name", CatalogLimits.Name, required: true);
        var category = r.Text(s, path, "category", CatalogLimits.Category) ?? "other";
        var browserCheck = BrowserCheckReader.Read(r, s, path);
        var endpoints = new List<EndpointDefinition>();
        if (!s.TryGetProperty("endpoints", out var eps) || eps.ValueKind != JsonValueKind.Array || eps.GetArrayLength() == 0)
        {
            r.Error($"{path}.endpoints", "required: a non-empty array of endpoints");
        }
        else
        {
            var j = 0;
            foreach (var e in eps.EnumerateArray())
            {
                if (EndpointReader.Read(r, e, $"{path}.endpoints[{j++}]") is { } endpoint)
                {
                    endpoints.Add(endpoint);
                }
            }
            foreach (var dup in endpoints.GroupBy(e => e.Id).Where(g => g.Count() > 1))
            {
                r.Error($"{path}.endpoints", $"duplicate endpoint id '{dup.Key}'");
            }
        }
        var dependsOn = Dependencies.Read(r, s, path);
        return id is null || name is null ? null : new ServiceDefinition(id, name, category, endpoints) { BrowserCheck = browserCheck, DependsOn = dependsOn };
    }

    private static MaintenanceWindow? ReadMaintenance(JsonReaderContext r, JsonElement m, string path, List<ServiceDefinition> services)
    {
        if (m.ValueKind != JsonValueKind.Object)
        {
            r.Error(path, "must be an object");
            return null;
        }
        r.UnknownProperties(m, path, MaintenanceProps);
        var before = r.Errors.Count;
        var service = r.String(m, path, "service", required: true);
        var endpoint = r.String(m, path, "endpoint");
        var svc = services.FirstOrDefault(s => s.Id == service);
        if (service is not null && svc is null)
        {
            r.Error($"{path}.service", $"unknown service '{service}'");
        }
        else if (endpoint is not null && svc is not null && svc.Endpoints.All(e => e.Id != endpoint))
        {
            r.Error($"{path}.endpoint", $"service '{service}' has no endpoint '{endpoint}'");
        }
        var start = r.Date(m, path, "start");
        var duration = r.Duration(m, path, "duration", null, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
        var every = m.TryGetProperty("every", out _) ? r.Duration(m, path, "every", null, duration, TimeSpan.FromDays(366)) : (TimeSpan?)null;
        return r.Errors.Count > before || start is null ? null : new MaintenanceWindow(service!, endpoint, start.Value, duration, every);
    }

}

public sealed record CatalogLoadResult(MonitorCatalog? Catalog, IReadOnlyList<string> Errors);
