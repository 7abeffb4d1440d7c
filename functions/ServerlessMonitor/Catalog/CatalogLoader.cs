using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Catalog;

/// <summary>
/// Reads and validates a catalog. Collects every problem with its JSON path instead of stopping at
/// the first, so an operator fixes the file in one go.
/// </summary>
public static partial class CatalogLoader
{
    private static readonly string[] ServiceProps = ["id", "name", "category", "endpoints"];
    private static readonly string[] EndpointProps =
    [
        "id", "kind", "url", "host", "port", "method", "headers", "body", "followRedirects", "insecureTls",
        "interval", "timeout", "conditions", "degradedWhen", "failureThreshold", "successThreshold",
    ];
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
        var name = r.String(s, path, "name", required: true);
        var category = r.String(s, path, "category") ?? "other";
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
                if (ReadEndpoint(r, e, $"{path}.endpoints[{j++}]") is { } endpoint)
                {
                    endpoints.Add(endpoint);
                }
            }
            foreach (var dup in endpoints.GroupBy(e => e.Id).Where(g => g.Count() > 1))
            {
                r.Error($"{path}.endpoints", $"duplicate endpoint id '{dup.Key}'");
            }
        }
        return id is null || name is null ? null : new ServiceDefinition(id, name, category, endpoints);
    }

    private static EndpointDefinition? ReadEndpoint(JsonReaderContext r, JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            r.Error(path, "must be an object");
            return null;
        }
        r.UnknownProperties(e, path, EndpointProps);
        var errorsBefore = r.Errors.Count;
        var id = r.Id(e, path);
        var kindText = r.String(e, path, "kind") ?? "http";
        if (!Enum.TryParse<EndpointKind>(kindText, ignoreCase: true, out var kind) || kindText.Any(char.IsDigit))
        {
            r.Error($"{path}.kind", $"unknown kind '{kindText}' (expected http, tcp, dns or tls)");
        }
        Uri? url = null;
        var host = r.String(e, path, "host");
        var port = r.Int(e, path, "port", 1, 65535);
        if (kind == EndpointKind.Http)
        {
            var urlText = r.String(e, path, "url", required: true);
            if (urlText is not null && (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https")))
            {
                r.Error($"{path}.url", "not an absolute http(s) URL");
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(host) || Uri.CheckHostName(host) == UriHostNameType.Unknown)
            {
                r.Error($"{path}.host", $"required for kind '{kindText}': a host name or IP address");
            }
            if (kind == EndpointKind.Tcp && port is null)
            {
                r.Error($"{path}.port", "required for kind 'tcp'");
            }
            if (kind == EndpointKind.Tls)
            {
                port ??= 443;
            }
        }
        var interval = r.Duration(e, path, "interval", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5), TimeSpan.FromDays(1));
        var timeout = r.Duration(e, path, "timeout", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2));
        var conditions = ReadConditions(r, e, path, "conditions") ?? DefaultConditions(kind);
        var degraded = ReadConditions(r, e, path, "degradedWhen") ?? [];
        var method = r.String(e, path, "method") ?? "GET";
        if (!MethodPattern().IsMatch(method))
        {
            r.Error($"{path}.method", $"'{method}' is not an HTTP method");
        }
        var endpoint = new EndpointDefinition
        {
            Id = id ?? "",
            Kind = kind,
            Url = url,
            Host = host,
            Port = port,
            Method = method.ToUpperInvariant(),
            Headers = r.StringMap(e, path, "headers"),
            Body = r.String(e, path, "body"),
            FollowRedirects = r.Bool(e, path, "followRedirects") ?? true,
            InsecureTls = r.Bool(e, path, "insecureTls") ?? false,
            Interval = interval,
            Timeout = timeout,
            Conditions = conditions,
            DegradedWhen = degraded,
            FailureThreshold = r.Int(e, path, "failureThreshold", 1, 100) ?? 3,
            SuccessThreshold = r.Int(e, path, "successThreshold", 1, 100) ?? 2,
        };
        if (timeout > interval)
        {
            r.Error($"{path}.timeout", $"must not exceed the interval ({interval})");
        }
        return r.Errors.Count > errorsBefore ? null : endpoint;
    }

    private static List<Condition>? ReadConditions(JsonReaderContext r, JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var arr))
        {
            return null;
        }
        if (arr.ValueKind != JsonValueKind.Array)
        {
            r.Error($"{path}.{name}", "must be an array of condition strings");
            return [];
        }
        var list = new List<Condition>();
        var k = 0;
        foreach (var c in arr.EnumerateArray())
        {
            var at = $"{path}.{name}[{k++}]";
            if (c.ValueKind != JsonValueKind.String)
            {
                r.Error(at, "must be a string");
            }
            else if (Condition.TryParse(c.GetString()!, out var condition, out var error))
            {
                list.Add(condition);
            }
            else
            {
                r.Error(at, error);
            }
        }
        return list;
    }

    /// <summary>What an endpoint without conditions is held to: reachable and, for http, not an error status.</summary>
    private static List<Condition> DefaultConditions(EndpointKind kind) => kind switch
    {
        EndpointKind.Http => [Parse("[STATUS] < 400")],
        EndpointKind.Dns => [Parse("[DNS_RCODE] == NOERROR")],
        _ => [Parse("[CONNECTED] == true")],
    };

    private static Condition Parse(string text) =>
        Condition.TryParse(text, out var c, out var error) ? c : throw new InvalidOperationException(error);

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

    [GeneratedRegex("^[A-Za-z]{3,10}$")]
    private static partial Regex MethodPattern();
}

public sealed record CatalogLoadResult(MonitorCatalog? Catalog, IReadOnlyList<string> Errors);
