using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Hosting;

public static class StartupExtensions
{
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
