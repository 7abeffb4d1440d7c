using System.Runtime.CompilerServices;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Push;

/// <summary>
/// The service a push endpoint belongs to. A prober is handed only the endpoint, while a push endpoint's beats live
/// in its service's partition; the catalog's own instances tell which service holds it.
/// </summary>
internal sealed class PushEndpoints(CatalogProvider catalog)
{
    private readonly ConditionalWeakTable<MonitorCatalog, Dictionary<EndpointDefinition, ServiceDefinition>> _owners = [];

    public ServiceDefinition? ServiceOf(EndpointDefinition endpoint)
    {
        var current = catalog.Current;
        var owners = _owners.GetValue(current, Index);
        if (owners.TryGetValue(endpoint, out var service))
        {
            return service;
        }
        // A cycle that started before a catalog reload still carries the previous catalog's instances.
        var same = owners.Where(o => o.Key.Id == endpoint.Id && o.Key.Push == endpoint.Push).Select(o => o.Value).ToList();
        return same.Count == 1 ? same[0] : null;
    }

    private static Dictionary<EndpointDefinition, ServiceDefinition> Index(MonitorCatalog catalog)
    {
        // By instance, not by value: two services may hold endpoints that are equal records.
        var owners = new Dictionary<EndpointDefinition, ServiceDefinition>(ReferenceEqualityComparer.Instance);
        foreach (var (service, endpoint) in catalog.AllEndpoints().Where(x => x.Endpoint.Kind == EndpointKind.Push))
        {
            owners[endpoint] = service;
        }
        return owners;
    }
}
