namespace ServerlessMonitor.Api;

/// <summary>
/// An endpoint filter that lets each client address through <see cref="Permits"/> times per
/// <see cref="Window"/>; more is 429 problem details with Retry-After. Subclasses name the limit and the answer.
/// </summary>
internal abstract class AddressRateLimitFilter : IEndpointFilter, IDisposable
{
    private readonly AddressRateLimiter limiter;

    protected AddressRateLimitFilter() => limiter = new(() => (Permits, Window));

    protected abstract int Permits { get; }

    protected abstract TimeSpan Window { get; }

    protected abstract string Title { get; }

    protected abstract string AddressOf(HttpContext http);

    protected abstract string Detail(int retryAfterSeconds);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        limiter.TryAcquire(AddressOf(context.HttpContext)) is { } wait
            ? AddressRateLimiter.TooManyRequests(context.HttpContext, wait, Title, Detail)
            : await next(context);

    public void Dispose() => limiter.Dispose();
}
