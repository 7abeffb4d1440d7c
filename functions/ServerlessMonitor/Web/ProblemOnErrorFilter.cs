namespace ServerlessMonitor.Web;

/// <summary>
/// An unexpected exception becomes a logged 500 problem details instead of whatever the host does with
/// it (the Functions worker would answer an empty 500): the same answer from both hosts.
/// </summary>
internal sealed class ProblemOnErrorFilter(ILogger<ProblemOnErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "{Method} {Path} failed", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Internal error",
                detail: "The monitor could not answer this request. The error is logged.");
        }
    }
}
