namespace ServerlessMonitor.Web;

public static class WebExtensions
{
    /// <summary>
    /// The HTTP surface both hosts share: JSON contexts, problem details, the shared endpoint filters, the
    /// endpoints of the <see cref="RouteTable"/> and the OpenAPI document.
    /// </summary>
    public static IHostApplicationBuilder AddWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        services.AddProblemDetails();
        services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PublicRateLimitFilter>();
        services.AddSingleton<CacheHeaders>();
        services.AddSingleton<SnapshotBuilder>();
        services.AddSingleton<StoredSnapshots>();
        services.AddSingleton<ReadSnapshots>();
        services.AddSingleton<VersionedCache>();
        services.AddSingleton<CachedReadFilter>();
        services.AddSingleton<ReadModelChangeFilter>();
        services.AddSingleton<Cycle.ICycleListener, SnapshotAfterProbes>();
        services.AddSingleton<RouteEndpoints>();
        services.AddSingleton<Pages.ServiceViewReader>();
        services.AddSingleton<Pages.Fragments.FragmentCache>();
        services.AddSingleton<Pages.Fragments.ServiceSections>();
        services.AddSingleton<ReadModel.RareInputs>();
        services.AddApiDocs();
        return builder;
    }
}
