using System.Net;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>The small pages of the email flow: no script, no style from elsewhere, forms that post only to this site, never cached.</summary>
internal static class EmailPages
{
    public static IResult Html(HttpContext http, int status, string title, string body)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        http.Response.Headers.XFrameOptions = "DENY";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Content($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>{WebUtility.HtmlEncode(title)}</title></head>
            <body><main>{body}</main></body></html>
            """, "text/html; charset=utf-8", statusCode: status);
    }

    public static string Encode(string s) => WebUtility.HtmlEncode(s);
}
