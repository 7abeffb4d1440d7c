using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OutageLab;

/// <summary>The routes the lab serves: each one a way for a real service to look up or down.</summary>
internal static class LabScenarios
{
    public const int BigBodyDefault = 3 * 1024 * 1024;
    private const string HealthyJson = """{"status":"UP","items":[1,2,3]}""";

    /// <summary>A 1×1 green PNG: what a browser check loads, like a service's favicon.</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGOQqjf/DwADVwHQuiSI4wAAAABJRU5ErkJggg==");

    public static readonly IReadOnlyList<(string Route, string Serves)> Catalog =
    [
        ("/healthy", "200 {\"status\":\"UP\",\"items\":[1,2,3]}"),
        ("/slow?ms=N", "200 after N ms (default 2000)"),
        ("/flapping", "200, 500, 200, 500 … one per request"),
        ("/error", "500"),
        ("/unavailable", "503 with Retry-After: 120"),
        ("/throttled", "429 with Retry-After as an HTTP date one minute ahead"),
        ("/big?bytes=N", "200 with a streamed body of N bytes (default 3 MiB)"),
        ("/page?kb=N", "200 an HTML page of about N KiB with its Content-Length, like a real home page (default 400)"),
        ("/drip?ms=N", "200 headers at once, then one byte every N ms for 50 bytes (default 500)"),
        ("/redirect", "302 to /healthy"),
        ("/redirect/loop", "302 to itself, forever"),
        ("/redirect/chain?n=N", "N redirects (302) in a row, then /healthy"),
        ("/redirect/to?status=S&location=URL", "redirect with status S (default 302) to URL, which may be anywhere"),
        ("/redirect/endless", "302 to /healthy with a body that never ends"),
        ("/echo", "200 echoing method, headers and body as JSON"),
        ("/favicon.png", "200 a 1x1 PNG image (for browser checks), any query string"),
        ("/switch/{name}", "200 or whatever status the switch is set to"),
        ("/chaos/{name}", "200, or at random (LabChaos.Loss, seeded) a reset, a 500 or a hang until the client gives up"),
        ("POST /control/switch/{name}?status=503 | ?down=true|false", "flips a switch"),
        ("GET /control/switch/{name}", "reads a switch"),
    ];

    public static void Map(WebApplication app, LabSwitches switches, LabChaos chaos, TimeProvider clock)
    {
        var flips = 0;
        app.MapGet("/", () => TypedResults.Text(string.Join('\n', Catalog.Select(c => $"{c.Route,-58} {c.Serves}")) + "\n"));
        app.MapMethods("/healthy", ["GET", "HEAD"], () => Json(HealthyJson));
        app.MapGet("/slow", Slow);
        // Alternates on every request, whoever sends it: the first answer is 200.
        app.MapGet("/flapping", () => Interlocked.Increment(ref flips) % 2 == 1
            ? Json(HealthyJson)
            : Json("""{"status":"DOWN"}""", StatusCodes.Status500InternalServerError));
        app.MapGet("/error", () => Json("""{"status":"DOWN","error":"boom"}""", StatusCodes.Status500InternalServerError));
        app.MapGet("/unavailable", (HttpResponse response) =>
        {
            response.Headers.RetryAfter = "120";
            return Json("""{"status":"MAINTENANCE"}""", StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/throttled", (HttpResponse response) =>
        {
            response.Headers.RetryAfter = clock.GetUtcNow().AddMinutes(1).ToString("R", CultureInfo.InvariantCulture);
            return Json("""{"status":"THROTTLED"}""", StatusCodes.Status429TooManyRequests);
        });
        app.MapGet("/big", Big);
        app.MapGet("/drip", Drip);
        app.MapGet("/page", (int? kb) => TypedResults.Bytes(Page(Math.Clamp(kb ?? 400, 0, 64 * 1024)), "text/html; charset=utf-8"));
        app.MapGet("/redirect", () => TypedResults.Redirect("/healthy"));
        app.MapGet("/redirect/loop", () => TypedResults.Redirect("/redirect/loop"));
        app.MapGet("/redirect/endless", EndlessRedirect);
        app.MapGet("/redirect/chain", (int n) => TypedResults.Redirect(n <= 1 ? "/healthy" : $"/redirect/chain?n={n - 1}"));
        // Any method: a 307 must be able to answer the POST whose body it would have re-sent.
        app.Map("/redirect/to", (HttpResponse response, int? status, string location) =>
        {
            response.Headers.Location = location;
            return Results.StatusCode(status ?? StatusCodes.Status302Found);
        });
        app.Map("/echo", Echo);
        app.MapGet("/favicon.png", () => TypedResults.Bytes(Pixel, "image/png"));
        app.Map("/switch/{name}", (string name) => switches.StatusOf(name) is var status && status < 400
            ? Json(HealthyJson, status)
            : Json("""{"status":"DOWN"}""", status));
        app.Map("/chaos/{name}", (HttpContext context, string name) => Chaos(context, chaos, name));
        app.MapGet("/control/switch/{name}", (string name) => Json(new JsonObject { ["name"] = name, ["status"] = switches.StatusOf(name) }.ToJsonString()));
        app.MapPost("/control/switch/{name}", Results<ContentHttpResult, BadRequest<string>> (string name, int? status, bool? down) =>
        {
            var next = status ?? (down switch { true => LabSwitches.DownStatus, false => LabSwitches.UpStatus, null => 0 });
            if (next is < 100 or > 599)
            {
                return TypedResults.BadRequest("give ?status=100..599 or ?down=true|false");
            }
            switches.Set(name, next);
            return Json(new JsonObject { ["name"] = name, ["status"] = next }.ToJsonString());
        });
    }

    private static ContentHttpResult Json(string json, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(json, "application/json", statusCode: status);

    private static async Task Chaos(HttpContext context, LabChaos chaos, string name)
    {
        switch (chaos.Next(name))
        {
            case ChaosFault.Reset:
                // Mid-response: dropped before any byte, a reused connection would be retried by the client
                // unseen (it looks like a stale pooled connection), so the reset would never count.
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = HealthyJson.Length;
                await context.Response.StartAsync(context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                return;
            case ChaosFault.ServerError:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsync("""{"status":"DOWN"}""", context.RequestAborted);
                return;
            case ChaosFault.Hang:
                chaos.OnHangStarted(name);
                try
                {
                    await Task.Delay(chaos.HangLimit, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up, which is what a hang is for.
                    return;
                }
                context.Abort();
                return;
            default:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(HealthyJson, context.RequestAborted);
                return;
        }
    }

    private static async Task<IResult> Slow(int? ms, CancellationToken aborted)
    {
        var delay = Math.Clamp(ms ?? 2000, 0, 120_000);
        try
        {
            await Task.Delay(delay, aborted);
        }
        catch (OperationCanceledException)
        {
            // The prober gave up (its timeout): nobody is left to answer.
            return Results.Empty;
        }
        return Json($$"""{"status":"UP","delayedMs":{{delay}}}""");
    }

    // One page per size, built once: serving it must not cost the lab more than a real server's cached page.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte[]> Pages = new();

    private static byte[] Page(int kb) => Pages.GetOrAdd(kb, size =>
    {
        var paragraph = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.</p>\n";
        var html = new System.Text.StringBuilder("<!doctype html><html><head><title>Lab page</title></head><body>\n");
        while (html.Length < size * 1024)
        {
            html.Append(paragraph);
        }
        return System.Text.Encoding.UTF8.GetBytes(html.Append("</body></html>\n").ToString());
    });

    private static async Task Big(HttpContext context, long? bytes)
    {
        var remaining = Math.Clamp(bytes ?? BigBodyDefault, 0, 1L << 30);
        context.Response.ContentType = "text/plain";
        // No Content-Length: the body is streamed in chunks, like a server that does not know its size.
        var chunk = new byte[64 * 1024];
        chunk.AsSpan().Fill((byte)'x');
        try
        {
            while (remaining > 0)
            {
                var size = (int)Math.Min(chunk.Length, remaining);
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, size), context.RequestAborted);
                remaining -= size;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client stopped reading at its cap, which is the point of this route.
        }
    }

    // A client that reads a redirect's body before following it never gets to follow it.
    private static async Task EndlessRedirect(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = "/healthy";
        var chunk = new byte[64 * 1024];
        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client followed the redirect and dropped this body, as it should.
        }
    }

    // Headers arrive at once and the body crawls: a timeout must also bound reading the body.
    private static async Task Drip(HttpContext context, int? ms)
    {
        var delay = Math.Clamp(ms ?? 500, 0, 60_000);
        context.Response.ContentType = "text/plain";
        try
        {
            await context.Response.StartAsync(context.RequestAborted);
            for (var i = 0; i < 50; i++)
            {
                await context.Response.Body.WriteAsync("x"u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(delay, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The prober gave up, as it should.
        }
    }

    private static async Task<IResult> Echo(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var headers = new JsonObject();
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }
        var echo = new JsonObject
        {
            ["method"] = request.Method,
            ["contentType"] = request.ContentType,
            ["headers"] = headers,
            ["body"] = await reader.ReadToEndAsync(request.HttpContext.RequestAborted),
        };
        return Json(echo.ToJsonString());
    }
}
