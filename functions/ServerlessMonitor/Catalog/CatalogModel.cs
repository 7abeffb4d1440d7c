using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Catalog;

public enum EndpointKind
{
    Http,
    Tcp,
    Dns,
    Tls,
    /// <summary>A heartbeat the job sends to /api/push/{token}; judged by the clock (Push/).</summary>
    Push,
}

/// <summary>The validated catalog: what is monitored. Built only by <see cref="CatalogLoader"/>.</summary>
public sealed record MonitorCatalog(IReadOnlyList<ServiceDefinition> Services, IReadOnlyList<MaintenanceWindow> Maintenance)
{
    public static readonly MonitorCatalog Empty = new([], []);

    public ServiceDefinition? FindService(string id) => Services.FirstOrDefault(s => s.Id == id);

    public IEnumerable<(ServiceDefinition Service, EndpointDefinition Endpoint)> AllEndpoints() =>
        Services.SelectMany(s => s.Endpoints.Select(e => (s, e)));
}

public sealed record ServiceDefinition(string Id, string Name, string Category, IReadOnlyList<EndpointDefinition> Endpoints)
{
    /// <summary>
    /// The endpoint whose response times speak for the service: its first http endpoint (mixing DNS
    /// and HTTP timings would describe nothing real), or its first endpoint when it has no http one.
    /// </summary>
    public EndpointDefinition Primary => Endpoints.FirstOrDefault(e => e.Kind == EndpointKind.Http) ?? Endpoints[0];

    /// <summary>What the status page's visitors load themselves to tell "down" from "just you" (optional).</summary>
    public BrowserCheck? BrowserCheck { get; init; }
}

public sealed record EndpointDefinition
{
    public required string Id { get; init; }
    public required EndpointKind Kind { get; init; }
    /// <summary>http: the URL probed.</summary>
    public Uri? Url { get; init; }
    /// <summary>tcp, dns, tls: the host name or address.</summary>
    public string? Host { get; init; }
    /// <summary>tcp, tls: the port (tls defaults to 443).</summary>
    public int? Port { get; init; }
    public string Method { get; init; } = "GET";
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public string? Body { get; init; }
    public bool FollowRedirects { get; init; } = true;
    /// <summary>
    /// May redirects lead to loopback, link-local or private addresses? Null (the default): only when the
    /// target itself is such an address (internal monitoring); a public target may not send the probe inside.
    /// </summary>
    public bool? AllowPrivateRedirects { get; init; }
    /// <summary>Accept certificates that do not validate (self-signed); expiry is still read.</summary>
    public bool InsecureTls { get; init; }
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    public IReadOnlyList<Condition> Conditions { get; init; } = [];
    public IReadOnlyList<Condition> DegradedWhen { get; init; } = [];
    public int FailureThreshold { get; init; } = 3;
    public int SuccessThreshold { get; init; } = 2;
    /// <summary>push: when beats are expected (null for every other kind).</summary>
    public PushExpectation? Push { get; init; }

    /// <summary>
    /// What the endpoint points at, for people: the URL without user info and with query values masked
    /// (<see cref="TargetRedaction"/>), or host[:port]. The only form of the target that leaves the server.
    /// </summary>
    public string Target => Push is { } push ? $"heartbeat {push.Describe()}" : Url is { } url ? TargetRedaction.Redact(url) : Port is { } p ? $"{Host}:{p}" : Host ?? "";

    // The generated ToString would print the URL and every header value: an endpoint that ends up in a log
    // line or an exception message must not carry its secrets there.
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} endpoint '{Id}' ({Target})";
}

/// <summary>A planned maintenance window, one-off or recurring (<see cref="Every"/>).</summary>
public sealed record MaintenanceWindow(string Service, string? Endpoint, DateTimeOffset Start, TimeSpan Duration, TimeSpan? Every)
{
    public bool Covers(string service, string endpoint, DateTimeOffset now)
    {
        if (Service != service || (Endpoint is not null && Endpoint != endpoint) || now < Start)
        {
            return false;
        }
        var offset = now - Start;
        if (Every is { } every)
        {
            offset = TimeSpan.FromTicks(offset.Ticks % every.Ticks);
        }
        return offset < Duration;
    }
}
