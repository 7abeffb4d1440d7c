namespace ServerlessMonitor.Catalog;

public static class CatalogExtensions
{
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CatalogProvider>();
        builder.Services.AddSingleton<Hosting.ProbeCadence>();
        return builder;
    }
}
