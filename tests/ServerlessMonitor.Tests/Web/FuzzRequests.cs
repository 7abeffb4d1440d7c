using System.Net.Http;
using System.Text;

namespace ServerlessMonitor.Tests.Web;

/// <summary>One generated request: what to send, and the route template it was made from (for the report).</summary>
public sealed record FuzzRequest(string Route, HttpMethod Method, string Url, IReadOnlyList<(string Name, string Value)> Headers, byte[]? Body,
    string? ContentType);

/// <summary>
/// Builds malformed requests for every public and admin route from one seed: the same seed gives the same
/// requests, so a failure can be replayed. Values mix valid ids with hostile text (control characters,
/// encoded surrogates, overlong numbers, dates at the ends of the calendar, traversal, huge strings).
/// </summary>
public sealed class FuzzRequests(int seed, string service, string endpoint, string incidentId, string adminKey)
{
    private static readonly string[] Nasty =
    [
        "", " ", "%00", "%01", "%1b%5b31m", "%0d%0aX-Injected:%20yes", "%ff%fe", "%ED%A0%80", "%C0%AF", "..", "..%2f..%2f", "%2e%2e%2f",
        "-1", "0", "1", "99999999999999999999", "1e309", "NaN", "-0", "0x10", "1.5", "%2B1",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "2026-13-45T99:99:99Z", "2026-11-21", "now", "%20%20",
        "null", "true", "[]", "{}", "%7B%22a%22%3A1%7D", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "'%20OR%201%3D1--", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D",
        "%E2%80%AE", "%F0%9F%98%80", "%C3%BC", "AAAA", "aW5jaWRlbnQt", "Ly8%3D", "%2F%2F%2F",
    ];

    private static readonly string[] QueryNames = ["from", "to", "endpoint", "region", "limit", "continuation", "days", "hours", "x", "", "from[]"];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=utf-7", "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz", "application/merge-patch+json", "garbage", "", "application/json; boundary=",
    ];

    private readonly Random random = new(seed);

    public IReadOnlyList<FuzzRequest> Generate(int count) => Enumerable.Range(0, count).Select(_ => Next()).ToList();

    private FuzzRequest Next()
    {
        var (route, method, path, body) = random.Next(20) switch
        {
            0 => ("GET /api/health", HttpMethod.Get, "/api/health", (byte[]?)null),
            1 => ("GET /api/status", HttpMethod.Get, "/api/status", null),
            2 => ("GET /api/status/{service}", HttpMethod.Get, $"/api/status/{Service()}", null),
            3 => ("GET /api/services/{service}/incidents", HttpMethod.Get, $"/api/services/{Service()}/incidents", null),
            4 or 5 => ("GET /api/services/{service}/checks", HttpMethod.Get, $"/api/services/{Service()}/checks", null),
            6 => ("GET /api/services/{service}/uptime", HttpMethod.Get, $"/api/services/{Service()}/uptime", null),
            7 => ("GET /api/compare", HttpMethod.Get, "/api/compare", null),
            8 or 9 => ("POST /api/services/{service}/reports", HttpMethod.Post, $"/api/services/{Service()}/reports", ReportBody()),
            10 => ("GET /api/services/{service}/reports", HttpMethod.Get, $"/api/services/{Service()}/reports", null),
            11 => ("GET /api/badges/{service}/{kind}.svg", HttpMethod.Get, $"/api/badges/{Service()}/{Pick("status", "uptime", "response-time", PathValue())}.svg", null),
            12 => ("GET /api/feed.atom", HttpMethod.Get, "/api/feed.atom", null),
            13 => ("GET /api/openapi.json", HttpMethod.Get, "/api/openapi.json", null),
            14 => ("GET /", HttpMethod.Get, Pick("/", "/?x=%00", "//", "/%2e%2e/"), null),
            15 => ("GET /api/admin/maintenance", HttpMethod.Get, "/api/admin/maintenance", null),
            16 => ("POST /api/admin/maintenance", HttpMethod.Post, "/api/admin/maintenance", MaintenanceBody()),
            17 => ("DELETE /api/admin/maintenance/{id}", HttpMethod.Delete, $"/api/admin/maintenance/{PathValue()}", null),
            18 => ("POST /api/admin/incidents/{id}/notes", HttpMethod.Post, $"/api/admin/incidents/{Pick(incidentId, PathValue(), incidentId + PathValue())}/notes", NoteBody()),
            _ => ("POST /api/admin/probe/{service}/{endpoint}", HttpMethod.Post, $"/api/admin/probe/{Pick(service, PathValue())}/{Pick(endpoint, PathValue())}", null),
        };
        if (random.Next(10) == 0)
        {
            // The wrong method on a real path: 405, never a handler running with missing input.
            method = Pick(HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete, HttpMethod.Options, HttpMethod.Head, HttpMethod.Post, HttpMethod.Get);
            body = method == HttpMethod.Get || method == HttpMethod.Head ? null : body;
        }
        return new FuzzRequest(route, method, path + Query(), Headers(), body, body is null ? null : Pick(ContentTypes));
    }

    private string Service() => random.Next(3) == 0 ? PathValue() : service;

    // A NUL in a path never reaches the app: the in-memory test server throws on it (Kestrel answers 400 itself).
    private string PathValue() => Value().Replace("%00", "%01", StringComparison.Ordinal);

    private string Value() => random.Next(12) switch
    {
        0 => new string('a', random.Next(100, 4000)),
        1 => string.Concat(Enumerable.Range(0, random.Next(1, 20)).Select(_ => $"%{random.Next(256):X2}")),
        _ => Pick(Nasty),
    };

    private string Query()
    {
        var parts = Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(6) switch
        {
            0 => Value(),
            1 => $"{Pick(QueryNames)}",
            2 => $"endpoint={Pick(endpoint, Value())}",
            _ => $"{Pick(QueryNames)}={Value()}",
        }).ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private List<(string, string)> Headers()
    {
        var headers = new List<(string, string)>();
        if (random.Next(3) > 0)
        {
            headers.Add(("X-Admin-Key", random.Next(4) switch { 0 => "", 1 => "wrong-key-wrong-key", 2 => new string('k', 5000), _ => adminKey }));
        }
        var pool = new (string Name, Func<string> Value)[]
        {
            ("Origin", () => Pick("http://localhost", "https://evil.example", "null", "garbage", "http://localhost:1")),
            ("If-None-Match", () => Pick("*", "\"x\"", "W/\"\"", "garbage, \"", new string('"', 100))),
            ("Accept-Encoding", () => Pick("gzip", "br", "identity;q=0", "*;q=abc", "gzip, br, deflate")),
            ("X-Forwarded-For", () => Pick("1.2.3.4", "::1", "garbage", "1.2.3.4, 5.6.7.8", "[::1]:80", "999.999.999.999")),
            ("User-Agent", () => Pick("", "fuzz/1.0", new string('u', 3000), "\u00e9t\u00e9")),
            ("Accept", () => Pick("application/json", "*/*", "text/html;q=x", "application/problem+json")),
            ("Range", () => Pick("bytes=0-10", "bytes=-1", "garbage")),
            ("Cookie", () => Pick("a=b", "=;;=", new string('c', 2000))),
        };
        foreach (var (name, value) in pool)
        {
            if (random.Next(4) == 0)
            {
                headers.Add((name, value()));
            }
        }
        return headers;
    }

    private byte[]? ReportBody() => Body(
        """{"kind":"app","message":"fuzz"}""", """{"kind":"login"}""", """{"kind":"nope"}""", """{"kind":"app","message":"\ud800"}""",
        """{"kind":"app","kind":"feed"}""", """{"kind":["app"]}""", """{"kind":"app","message":""" + '"' + new string('m', 600) + "\"}");

    private byte[]? MaintenanceBody() => Body(
        $$"""{"service":"{{service}}","endpoint":"{{endpoint}}","start":"2026-12-01T02:00:00Z","duration":"01:00:00"}""",
        $$"""{"service":"{{service}}","start":"0001-01-01T00:00:00Z","duration":"10675199.02:48:05.4775807","every":"00:00:00"}""",
        $$"""{"service":"{{service}}","start":"9999-12-31T23:59:59Z","duration":"30.00:00:00","every":"366.00:00:00"}""",
        """{"service":"\ud800","start":"x","duration":"-1"}""", """{"service":null}""", "[1,2,3]");

    private byte[]? NoteBody() => Body(
        """{"status":"identified","message":"fuzz note"}""", """{"status":"identified","message":"\ud800\u0001"}""",
        """{"status":"nope","message":""}""", """{"status":"resolved","message":""" + '"' + new string('n', 1500) + "\"}");

    // A valid body for the route now and then, otherwise a broken one.
    private byte[]? Body(params string[] routeBodies)
    {
        return random.Next(12) switch
        {
            0 => null,
            1 => [],
            2 => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("[", 5000))),
            3 => Encoding.UTF8.GetBytes("{\"kind\":\"app\""),
            4 => RandomBytes(),
            5 => Encoding.UTF8.GetBytes("kind=app&message=form"),
            6 => Encoding.UTF8.GetBytes(new string(' ', 20_000)),
            _ => Encoding.UTF8.GetBytes(Pick(routeBodies)),
        };
    }

    private byte[] RandomBytes()
    {
        var bytes = new byte[random.Next(1, 300)];
        random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(params T[] options) => options[random.Next(options.Length)];
}
