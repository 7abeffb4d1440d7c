using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Api;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Reports;

namespace ServerlessMonitor.Admin;

/// <summary>
/// Guards every admin route. On Azure Functions the host checks the function key (authLevel function)
/// before the worker sees the request; a configured Admin:Key is checked on top, in both hosts.
/// Standalone there is no host in front: without a key the admin API stays off. Failed attempts are
/// throttled per client address (<see cref="AdminKeyThrottle"/>) and logged once per window, not once
/// per attempt. The key is never logged.
/// </summary>
internal sealed class AdminKeyFilter(IOptions<AdminOptions> options, MonitorHost host, AdminKeyThrottle throttle, ClientIdentity clients,
    ILogger<AdminKeyFilter> logger) : IEndpointFilter
{
    public const string Header = "X-Admin-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!options.Value.HasKey && host.BehindFunctionsHost)
        {
            return await next(context);
        }
        var address = clients.AddressOf(http);
        if (throttle.RetryAfter(address) is { } wait)
        {
            return AddressRateLimiter.TooManyRequests(http, wait, "Too many failed admin key attempts",
                seconds => $"Too many failed attempts from this address. Try again in {seconds} s.");
        }
        if (!options.Value.HasKey)
        {
            Failed(http, address, "Admin:Key is not set");
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Admin API is off",
                detail: $"Set Admin:Key (environment variable Admin__Key, at least {AdminOptions.MinKeyLength} characters) and send it as the {Header} header.");
        }
        var sent = http.Request.Headers[Header].ToString();
        if (sent.Length == 0 || !KeyEquals(sent, options.Value.Key!))
        {
            Failed(http, address, sent.Length == 0 ? "no key" : "wrong key");
            http.Response.Headers.WWWAuthenticate = Header;
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Admin key required",
                detail: sent.Length == 0 ? $"Send the admin key as the {Header} header." : $"The {Header} header does not match Admin:Key.");
        }
        return await next(context);
    }

    /// <summary>Compares hashes in constant time, so neither the content nor the length of the key leaks through timing.</summary>
    internal static bool KeyEquals(string sent, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    // One line per address and window: 400 guesses make one line, not 400.
    private void Failed(HttpContext http, string address, string reason)
    {
        var failure = throttle.Failed(address);
        if (!failure.StartsWindow)
        {
            return;
        }
        var o = options.Value;
        logger.LogWarning("Admin request {Method} {Path} from {Remote} refused: {Reason}. Further failures from this address in the next {Window} "
            + "are counted, not logged; after {MaxFailed} it is refused with 429 until then. Its previous window: {EarlierFailures} failed, "
            + "{EarlierRefused} refused with 429", http.Request.Method, LogText.Escape(http.Request.Path.Value), address, reason, o.FailureWindow,
            o.MaxFailedAttempts, failure.EarlierFailures, failure.EarlierRefused);
    }
}
