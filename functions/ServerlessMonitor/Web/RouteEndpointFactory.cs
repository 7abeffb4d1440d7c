using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Routing.Patterns;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Web;

/// <summary>
/// Turns a route of the <see cref="RouteTable"/> into an ASP.NET endpoint the way minimal APIs do
/// (parameter binding, metadata for OpenAPI), with the shared filters in front: errors as problem
/// details, the public rate limit, conditional GET, then the feature's own filters. Both hosts run these
/// same endpoints, so their HTTP behaviour cannot drift apart.
/// </summary>
internal static class RouteEndpointFactory
{
    public static RouteEndpoint Create(ApiRoute route, IServiceProvider services)
    {
        var pattern = RoutePatternFactory.Parse(route.Pattern);
        var builder = new RouteEndpointBuilder(requestDelegate: null, pattern, order: 0)
        {
            DisplayName = $"{route.Method} {route.Pattern} ({route.Name})",
            ApplicationServices = services,
        };
        AddMetadata(builder, route);
        foreach (var filter in Filters(route))
        {
            var instance = (IEndpointFilter)ActivatorUtilities.GetServiceOrCreateInstance(services, filter);
            builder.FilterFactories.Add((_, next) => invocation => instance.InvokeAsync(invocation, next));
        }
        var options = Binding(pattern, services, builder);
        var inferred = RequestDelegateFactory.InferMetadata(route.Handler.Method, options);
        builder.RequestDelegate = RequestDelegateFactory.Create(route.Handler, options, inferred).RequestDelegate;
        return (RouteEndpoint)builder.Build();
    }

    /// <summary>The route's handler with parameter binding but none of the filters: what the snapshot builder runs.</summary>
    public static RequestDelegate CreateUnfiltered(ApiRoute route, IServiceProvider services) =>
        RequestDelegateFactory.Create(route.Handler, Binding(RoutePatternFactory.Parse(route.Pattern), services, builder: null)).RequestDelegate;

    /// <summary>How the handler's parameters bind: route values by name, services from the app, the rest from query and body.</summary>
    private static RequestDelegateFactoryOptions Binding(RoutePattern pattern, IServiceProvider services, RouteEndpointBuilder? builder) => new()
    {
        ServiceProvider = services,
        RouteParameterNames = pattern.Parameters.Select(p => p.Name).ToList(),
        EndpointBuilder = builder,
    };

    private static IEnumerable<Type> Filters(ApiRoute route)
    {
        yield return typeof(ProblemOnErrorFilter);
        if (route.Access == RouteAccess.Public && route.RateLimited)
        {
            yield return typeof(PublicRateLimitFilter);
        }
        if (route.IsPublicRead && route.Cacheable)
        {
            yield return typeof(CachedReadFilter);
        }
        else if (route.Method != HttpMethods.Get && route.ChangesReadModel)
        {
            yield return typeof(ReadModelChangeFilter);
        }
        foreach (var own in route.Filters)
        {
            yield return own;
        }
    }

    private static void AddMetadata(RouteEndpointBuilder builder, ApiRoute route)
    {
        // What MapGet & co. add: the handler method (ApiExplorer reads it), the method, the name, tags, docs.
        builder.Metadata.Add(route.Handler.Method);
        builder.Metadata.Add(new HttpMethodMetadata([route.Method]));
        builder.Metadata.Add(new EndpointNameMetadata(route.Name));
        builder.Metadata.Add(new RouteNameMetadata(route.Name));
        builder.Metadata.Add(new TagsAttribute(route.Tag));
        builder.Metadata.Add(QueryKey.For(route));
        if (route.Summary is not null)
        {
            builder.Metadata.Add(new EndpointSummaryAttribute(route.Summary));
        }
        if (route.Description is not null)
        {
            builder.Metadata.Add(new EndpointDescriptionAttribute(route.Description));
        }
        if (route.CorsPolicy is not null)
        {
            builder.Metadata.Add(new EnableCorsAttribute(route.CorsPolicy));
        }
        if (route.ContentType is not null)
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [route.ContentType]));
        }
        if (route.Answer is not null)
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(route.AnswerStatus, route.Answer, ["application/json"]));
        }
        // Admin routes stay visible to the generator: the admin document describes them (each document picks its routes).
        if (!route.Documented)
        {
            builder.Metadata.Add(new ExcludeFromDescriptionAttribute());
        }
    }
}
