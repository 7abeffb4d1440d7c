namespace ServerlessMonitor.Web;

public static class WebExtensions
{
    public const string PublicReads = "public-reads";

    public static IHostApplicationBuilder AddWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddProblemDetails();
        // Anyone may read the public API from a browser; writes (reports) are same-origin or server-side.
        builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(PublicRateLimit.Configure);
        builder.Services.AddCors(o => o.AddPolicy(PublicReads, p => p.AllowAnyOrigin().WithMethods("GET", "HEAD").WithExposedHeaders("ETag")));
        return builder;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors(PublicReads);
        app.UseRateLimiter();
        app.UseMiddleware<ConditionalGetMiddleware>();
        return app;
    }
}
