namespace ServerlessMonitor.Api;

public enum RouteAccess
{
    /// <summary>Anonymous, rate-limited per client address.</summary>
    Public,

    /// <summary>Function key on Azure (authLevel function) plus X-Admin-Key when configured.</summary>
    Admin,
}

/// <summary>
/// One HTTP route of the monitor, declared once by the feature that answers it. Both hosts expose exactly
/// these: the standalone host as endpoints, the Functions app as one [Function] each with the same name,
/// method and route; the OpenAPI document describes the public ones.
/// </summary>
public sealed record ApiRoute(string Name, string Method, string Pattern, Delegate Handler)
{
    public RouteAccess Access { get; init; } = RouteAccess.Public;

    public string Tag { get; init; } = "";

    public string? Summary { get; init; }

    public string? Description { get; init; }

    /// <summary>Media type of a 200 answer that is not JSON (HTML, SVG, Atom), for the OpenAPI document.</summary>
    public string? ContentType { get; init; }

    /// <summary>Public reads answer conditional GETs (ETag, Cache-Control, 304); liveness opts out.</summary>
    public bool Cacheable { get; init; } = true;

    /// <summary>Public routes share the per-address rate limit; liveness probes opt out.</summary>
    public bool RateLimited { get; init; } = true;

    /// <summary>Public routes appear in the OpenAPI document; the document itself opts out.</summary>
    public bool Documented { get; init; } = true;

    /// <summary>The standalone host's CORS policy for this route (on Azure the function app's CORS setting applies).</summary>
    public string? CorsPolicy { get; init; }

    /// <summary>The feature's own endpoint filters (its own rate limit, its own key check), run after the shared ones.</summary>
    public IReadOnlyList<Type> Filters { get; init; } = [];

    /// <summary>
    /// A successful non-GET drops the cached reads (and, for admin routes, publishes a new snapshot). Heartbeats opt
    /// out: a beat changes nothing people read until the cycle judges it, and a thousand jobs beat at once.
    /// </summary>
    public bool ChangesReadModel { get; init; } = true;

    /// <summary>
    /// The problem answers the handler itself gives (400, 403, 404, 413, 415, 429, 503), for the OpenAPI document; those of the
    /// shared filters (405, 429 of the public limit, 500) and 304 follow from the settings above.
    /// </summary>
    public IReadOnlyList<int> Problems { get; init; } = [];

    /// <summary>
    /// The JSON body a handler reads (and checks field by field) itself, for the OpenAPI document's request body only: as
    /// endpoint metadata (Accepts) routing would answer a wrong Content-Type with a bare 415 before the handler's problem.
    /// </summary>
    public Type? RequestBody { get; init; }

    /// <summary>
    /// The JSON type of the success answer when the handler's return type cannot say it (it returns a page to a form and
    /// JSON to anything else), for the OpenAPI document, with its status (<see cref="AnswerStatus"/>).
    /// </summary>
    public Type? Answer { get; init; }

    public int AnswerStatus { get; init; } = StatusCodes.Status200OK;

    /// <summary>A typical success answer (JSON), shown as the example of the main answer in the OpenAPI document.</summary>
    public string? Example { get; init; }

    public bool IsPublicRead => Access == RouteAccess.Public && Method == HttpMethods.Get;

    public bool InDocument => Access == RouteAccess.Public && Documented;
}
