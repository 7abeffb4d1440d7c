using Microsoft.Extensions.Options;
using ServerlessMonitor.Admin;

namespace ServerlessMonitor.Telemetry;

/// <summary>
/// <c>/metrics</c> on the app's public port: only with the admin key (<c>X-Admin-Key</c>), since the figures describe the
/// whole deployment. Prometheus sends it with <c>http_headers</c> in its scrape config.
/// </summary>
internal sealed class MetricsKeyCheck(RequestDelegate next, IOptions<AdminOptions> admin)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var key = admin.Value.Key;
        if (string.IsNullOrEmpty(key))
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Metrics are off on this port",
                detail: $"Set Admin:Key and send it as {AdminKeyFilter.Header}, or set Telemetry:PrometheusPort to serve /metrics on 127.0.0.1.")
                .ExecuteAsync(context);
            return;
        }
        var sent = context.Request.Headers[AdminKeyFilter.Header].ToString();
        if (sent.Length == 0 || !AdminKeyFilter.KeyEquals(sent, key))
        {
            context.Response.Headers.WWWAuthenticate = AdminKeyFilter.Header;
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Admin key required",
                detail: $"Send the admin key as the {AdminKeyFilter.Header} header.").ExecuteAsync(context);
            return;
        }
        await next(context);
    }
}
