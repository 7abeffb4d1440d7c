using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Admin;

/// <summary>
/// Guards every admin route. On Azure Functions the host checks the function key (authLevel function)
/// before the worker sees the request; a configured Admin:Key is checked on top, in both hosts. Standalone there is no host in front: without a key the admin
/// API stays off. The key is never logged.
/// </summary>
internal sealed class AdminKeyFilter(IOptions<AdminOptions> options, MonitorHost host, ILogger<AdminKeyFilter> logger) : IEndpointFilter
{
    public const string Header = "X-Admin-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!options.Value.HasKey)
        {
            if (host.BehindFunctionsHost)
            {
                return await next(context);
            }
            logger.LogWarning("Admin request {Method} {Path} refused: Admin:Key is not set", http.Request.Method, http.Request.Path);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Admin API is off",
                detail: $"Set Admin:Key (environment variable Admin__Key, at least {AdminOptions.MinKeyLength} characters) and send it as the {Header} header.");
        }
        var sent = http.Request.Headers[Header].ToString();
        if (sent.Length == 0 || !KeyEquals(sent, options.Value.Key!))
        {
            logger.LogWarning("Admin request {Method} {Path} from {Remote} refused: {Reason}", http.Request.Method, http.Request.Path,
                http.Connection.RemoteIpAddress, sent.Length == 0 ? "no key" : "wrong key");
            http.Response.Headers.WWWAuthenticate = Header;
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Admin key required",
                detail: sent.Length == 0 ? $"Send the admin key as the {Header} header." : $"The {Header} header does not match Admin:Key.");
        }
        return await next(context);
    }

    /// <summary>Compares hashes in constant time, so neither the content nor the length of the key leaks through timing.</summary>
    internal static bool KeyEquals(string sent, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
