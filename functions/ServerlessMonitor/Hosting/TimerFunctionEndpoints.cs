using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Hosting;

public static class TimerFunctionEndpoints
{
    /// <summary>
    /// POST /{FunctionName} for every timer function — only when hosted. The Functions host calls
    /// these on the loopback port it gave us; standalone, nothing outside may trigger them.
    /// </summary>
    public static IEndpointRouteBuilder MapTimerFunctions(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<HostingMode>().IsHosted)
        {
            return app;
        }
        foreach (var function in app.ServiceProvider.GetServices<ITimerFunction>())
        {
            app.MapPost($"/{function.Name}", (HttpRequest request, ILoggerFactory loggers, CancellationToken ct) => InvokeAsync(function, request, loggers, ct))
                .ExcludeFromDescription();
        }
        return app;
    }

    private static async Task<Results<Ok<InvocationResponse>, ProblemHttpResult>> InvokeAsync(
        ITimerFunction function, HttpRequest request, ILoggerFactory loggers, CancellationToken ct)
    {
        InvocationRequest? invocation;
        try
        {
            invocation = await JsonSerializer.DeserializeAsync(request.Body, ApiJsonContext.Default.InvocationRequest, ct);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid invocation payload", detail: e.Message);
        }
        var pastDue = invocation?.IsPastDue() ?? false;
        var logger = loggers.CreateLogger("ServerlessMonitor.Functions." + function.Name);
        if (pastDue)
        {
            logger.LogWarning("{Function} is past due", function.Name);
        }
        var logs = await function.RunAsync(pastDue, ct);
        foreach (var line in logs)
        {
            logger.LogInformation("{Function}: {Line}", function.Name, line);
        }
        return TypedResults.Ok(new InvocationResponse([], logs, null));
    }
}
