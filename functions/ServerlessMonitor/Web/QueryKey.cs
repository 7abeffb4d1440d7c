using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Web;

/// <summary>
/// The query parameters a route's handler binds, as endpoint metadata: the read cache keys an answer by these
/// alone, so a parameter the handler never reads (utm_source, fbclid, a cache-buster) cannot change the answer
/// and cannot make a new cache entry either. Ignored rather than refused: links to a status page travel through
/// social networks and chats that append such parameters, exactly when many people open them at once.
/// </summary>
internal sealed record QueryKey(IReadOnlyList<string> Names)
{
    public static QueryKey For(ApiRoute route)
    {
        var routeValues = RoutePatternFactory.Parse(route.Pattern).Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var names = route.Handler.Method.GetParameters()
            .Where(p => IsQueryValue(p) && !routeValues.Contains(p.Name!))
            .Select(p => p.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault()?.Name ?? p.Name!)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new QueryKey(names);
    }

    /// <summary>The bound parameters' values in a fixed order, escaped, all of them when one is repeated: equal keys bind equally.</summary>
    public static string Of(HttpContext http)
    {
        var names = http.GetEndpoint()?.Metadata.GetMetadata<QueryKey>()?.Names ?? [];
        var query = http.Request.Query;
        return string.Join('&', names.Where(query.ContainsKey)
            .Select(n => $"{n.ToLowerInvariant()}={string.Join(',', query[n].Select(v => Uri.EscapeDataString(v ?? "")))}"));
    }

    // What minimal APIs bind from the query by default: strings and parseable values, unless the parameter says otherwise.
    private static bool IsQueryValue(ParameterInfo p)
    {
        if (p.GetCustomAttributes().Any(a => a is IFromServiceMetadata or IFromHeaderMetadata or IFromRouteMetadata or IFromBodyMetadata))
        {
            return false;
        }
        var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
        return type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(DateTimeOffset) || type == typeof(DateTime)
            || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(decimal);
    }
}
