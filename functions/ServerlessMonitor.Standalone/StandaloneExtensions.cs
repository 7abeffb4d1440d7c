using Microsoft.Extensions.Options;
using ServerlessMonitor.Web;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Standalone;

/// <summary>What only the standalone host does: listen on :7071, schedule the timers, CORS and error pages.</summary>
public static class StandaloneExtensions
{
    public const string DefaultUrl = "http://localhost:7071";
    public const string PublicReads = "public-reads";

    public static WebApplicationBuilder AddStandaloneHosting(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.Services.AddHostedService<TimerScheduler>();
        builder.Services.AddSingleton(_ => new FirstAnswer());
        builder.AddGeneratedSigningKey();
        // Anyone may read the public API from a browser (on Azure the function app's CORS setting does this).
        builder.Services.AddCors(o => o.AddPolicy(PublicReads, p => p.AllowAnyOrigin().WithMethods("GET", "HEAD").WithExposedHeaders("ETag")));
        return builder;
    }

    public static WebApplication UseStandaloneHttp(this WebApplication app)
    {
        var first = app.Services.GetRequiredService<FirstAnswer>();
        app.Use(async (context, next) =>
        {
            await next(context);
            first.Mark();
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors(PublicReads);
        return app;
    }

    /// <summary>The endpoints of the route table — the same ones the Functions app invokes.</summary>
    public static WebApplication MapMonitorRoutes(this WebApplication app)
    {
        ((IEndpointRouteBuilder)app).DataSources.Add(app.Services.GetRequiredService<RouteEndpoints>());
        return app;
    }

    /// <summary>
    /// Runs the app; bad configuration or an invalid catalog ends it with exit code 1 and every
    /// problem printed, instead of a stack trace.
    /// </summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        try
        {
            // Load the catalog before listening so its errors surface at start-up.
            app.Services.GetRequiredService<CatalogProvider>();
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (e is CatalogException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"ServerlessMonitor cannot start: {e.Message}");
            return 1;
        }
    }
}
