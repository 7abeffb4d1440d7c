using ServerlessMonitor.ReadModel;

namespace ServerlessMonitor.Web;

/// <summary>
/// Writes through the API change what the public reads show. An admin change (maintenance window, incident
/// note, probe now) publishes a new snapshot before answering, so the admin sees it at once; a counted user
/// report only drops the cached history answers (the page and overview pick reports up with the next cycle).
/// </summary>
internal sealed class ReadModelChangeFilter(ReadSnapshots snapshots, VersionedCache cache, ChangedServices changed, RareMarker rare) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (Succeeded(result))
        {
            cache.Clear();
            changed.Everything(); // a report or an admin change: the next build renders every service
            await rare.ChangedAsync(CancellationToken.None); // and the other instances' builds read it (the change is written: a client gone changes nothing)
            if (context.HttpContext.Request.Path.StartsWithSegments("/api/admin"))
            {
                await snapshots.PublishAsync(context.HttpContext.RequestAborted);
            }
        }
        return result;
    }

    /// <summary>A 2xx answer, looking inside a Results&lt;…&gt; union for the result it holds.</summary>
    private static bool Succeeded(object? result) => result switch
    {
        INestedHttpResult nested => Succeeded(nested.Result),
        IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } => true,
        _ => false,
    };
}
