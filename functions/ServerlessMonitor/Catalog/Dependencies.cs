using System.Text.Json;

namespace ServerlessMonitor.Catalog;

/// <summary>
/// <c>dependsOn</c>: "service" (down while any of its endpoints is down) or "service/endpoint", on a service (its
/// endpoints inherit it) or an endpoint. Unknown targets and cycles are catalog errors at their JSON path.
/// </summary>
public static class Dependencies
{
    public const int MaxPerOwner = 20;

    internal static IReadOnlyList<string> Read(JsonReaderContext r, JsonElement obj, string path)
    {
        if (!obj.TryGetProperty("dependsOn", out var deps))
        {
            return [];
        }
        if (deps.ValueKind != JsonValueKind.Array || deps.GetArrayLength() > MaxPerOwner)
        {
            r.Error($"{path}.dependsOn", $"must be an array of at most {MaxPerOwner} \"service\" or \"service/endpoint\" strings");
            return [];
        }
        var list = new List<string>();
        var i = 0;
        foreach (var d in deps.EnumerateArray())
        {
            var at = $"{path}.dependsOn[{i++}]";
            if (d.ValueKind != JsonValueKind.String || d.GetString() is not { Length: > 0 and <= 2 * CatalogLimits.Name } text)
            {
                r.Error(at, "must be \"service\" or \"service/endpoint\"");
            }
            else if (list.Contains(text))
            {
                r.Error(at, $"duplicate dependency '{TextRules.Quote(text)}'");
            }
            else
            {
                list.Add(text);
            }
        }
        return list;
    }

    /// <summary>The endpoints a dependency names: every endpoint of a service, or the one endpoint.</summary>
    public static IEnumerable<(string Service, string Endpoint)> Resolve(IReadOnlyList<ServiceDefinition> services, string target)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        var service = services.FirstOrDefault(s => s.Id == (slash < 0 ? target : target[..slash]));
        return service is null ? [] : service.Endpoints.Where(e => slash < 0 || e.Id == target[(slash + 1)..]).Select(e => (service.Id, e.Id));
    }

    /// <summary>An endpoint's dependencies: its service's and its own.</summary>
    public static IEnumerable<string> Of(ServiceDefinition service, EndpointDefinition endpoint) => service.DependsOn.Concat(endpoint.DependsOn).Distinct();

    internal static void Check(JsonReaderContext r, IReadOnlyList<ServiceDefinition> services)
    {
        var edges = new Dictionary<string, List<(string To, string Path)>>(StringComparer.Ordinal);
        for (var i = 0; i < services.Count; i++)
        {
            var s = services[i];
            for (var j = 0; j < s.Endpoints.Count; j++)
            {
                var from = edges[$"{s.Id}/{s.Endpoints[j].Id}"] = [];
                foreach (var (list, owner) in new[] { (s.DependsOn, $"services[{i}]"), (s.Endpoints[j].DependsOn, $"services[{i}].endpoints[{j}]") })
                {
                    for (var k = 0; k < list.Count; k++)
                    {
                        from.AddRange(Resolve(services, list[k]).Select(t => ($"{t.Service}/{t.Endpoint}", $"{owner}.dependsOn[{k}]")));
                    }
                }
            }
            Unknown(r, services, s.DependsOn, $"services[{i}]");
            for (var j = 0; j < s.Endpoints.Count; j++)
            {
                Unknown(r, services, s.Endpoints[j].DependsOn, $"services[{i}].endpoints[{j}]");
            }
        }
        var done = new HashSet<string>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in edges.Keys)
        {
            Visit(r, edges, node, [], done, reported);
        }
    }

    private static void Unknown(JsonReaderContext r, IReadOnlyList<ServiceDefinition> services, IReadOnlyList<string> list, string owner)
    {
        for (var k = 0; k < list.Count; k++)
        {
            if (!Resolve(services, list[k]).Any())
            {
                r.Error($"{owner}.dependsOn[{k}]", $"unknown service or endpoint '{TextRules.Quote(list[k])}'");
            }
        }
    }

    private static void Visit(JsonReaderContext r, Dictionary<string, List<(string To, string Path)>> edges, string node, List<string> stack,
        HashSet<string> done, HashSet<string> reported)
    {
        if (done.Contains(node))
        {
            return;
        }
        stack.Add(node);
        foreach (var (to, path) in edges[node])
        {
            var at = stack.IndexOf(to);
            if (at >= 0)
            {
                if (reported.Add(path))
                {
                    r.Error(path, $"dependency cycle: {string.Join(" -> ", stack[at..])} -> {to}");
                }
                continue;
            }
            Visit(r, edges, to, stack, done, reported);
        }
        stack.RemoveAt(stack.Count - 1);
        done.Add(node);
    }
}
