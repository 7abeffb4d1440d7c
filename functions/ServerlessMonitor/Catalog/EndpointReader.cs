using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Catalog;

/// <summary>Reads and validates one endpoint of the catalog; every problem goes to the reader with its path.</summary>
internal static partial class EndpointReader
{
    private static readonly string[] Props =
    [
        "id", "kind", "url", "host", "port", "method", "headers", "body", "followRedirects", "allowPrivateRedirects", "insecureTls",
        "interval", "timeout", "conditions", "degradedWhen", "failureThreshold", "successThreshold",
        .. PushExpectationReader.Props,
    ];

    public static EndpointDefinition? Read(JsonReaderContext r, JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            r.Error(path, "must be an object");
            return null;
        }
        r.UnknownProperties(e, path, Props);
        var errorsBefore = r.Errors.Count;
        var id = r.Id(e, path);
        var kindText = r.String(e, path, "kind") ?? "http";
        if (!Enum.TryParse<EndpointKind>(kindText, ignoreCase: true, out var kind) || kindText.Any(char.IsDigit))
        {
            r.Error($"{path}.kind", $"unknown kind '{TextRules.Quote(kindText)}' (expected http, tcp, dns, tls or push)");
        }
        var headers = ReadHeaders(r, e, path);
        Uri? url = null;
        var host = r.String(e, path, "host", maxLength: CatalogLimits.Host);
        var port = r.Int(e, path, "port", 1, 65535);
        var push = kind == EndpointKind.Push ? PushExpectationReader.Read(r, e, path) : null;
        if (kind != EndpointKind.Push)
        {
            PushExpectationReader.RejectOn(r, e, path, kindText);
        }
        if (kind == EndpointKind.Http)
        {
            url = ReadUrl(r, e, path, headers);
        }
        else if (kind != EndpointKind.Push)
        {
            if (string.IsNullOrWhiteSpace(host) || Uri.CheckHostName(host) == UriHostNameType.Unknown)
            {
                r.Error($"{path}.host", $"required for kind '{TextRules.Quote(kindText)}': a host name or IP address");
            }
            if (kind == EndpointKind.Tcp && port is null)
            {
                r.Error($"{path}.port", "required for kind 'tcp'");
            }
            if (kind == EndpointKind.Tls)
            {
                port ??= 443;
            }
        }
        var interval = r.Duration(e, path, "interval", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5), TimeSpan.FromDays(1));
        var timeout = r.Duration(e, path, "timeout", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2));
        var conditions = ReadConditions(r, e, path, "conditions") ?? DefaultConditions(kind);
        var degraded = ReadConditions(r, e, path, "degradedWhen") ?? [];
        var method = r.String(e, path, "method") ?? "GET";
        if (!MethodPattern().IsMatch(method))
        {
            r.Error($"{path}.method", $"'{TextRules.Quote(method)}' is not an HTTP method");
        }
        var endpoint = new EndpointDefinition
        {
            Id = id ?? "",
            Kind = kind,
            Url = url,
            Host = host,
            Port = port,
            Method = method.ToUpperInvariant(),
            Headers = headers,
            Body = r.String(e, path, "body", maxLength: CatalogLimits.Body),
            FollowRedirects = r.Bool(e, path, "followRedirects") ?? true,
            AllowPrivateRedirects = r.Bool(e, path, "allowPrivateRedirects"),
            InsecureTls = r.Bool(e, path, "insecureTls") ?? false,
            Interval = interval,
            Timeout = timeout,
            Conditions = conditions,
            DegradedWhen = degraded,
            // A heartbeat's grace already absorbs a slow job: one late or failed check is the verdict, one beat the recovery.
            FailureThreshold = r.Int(e, path, "failureThreshold", 1, 100) ?? (kind == EndpointKind.Push ? 1 : 3),
            SuccessThreshold = r.Int(e, path, "successThreshold", 1, 100) ?? (kind == EndpointKind.Push ? 1 : 2),
            Push = push,
        };
        if (timeout > interval)
        {
            r.Error($"{path}.timeout", $"must not exceed the interval ({interval})");
        }
        return r.Errors.Count > errorsBefore ? null : endpoint;
    }

    private static Dictionary<string, string> ReadHeaders(JsonReaderContext r, JsonElement e, string path)
    {
        var headers = r.StringMap(e, path, "headers", HeaderRules.Problem);
        if (headers.Count > CatalogLimits.Headers)
        {
            r.Error($"{path}.headers", $"at most {CatalogLimits.Headers} headers (got {headers.Count})");
        }
        return headers;
    }

    /// <summary>The URL to probe; user info in it becomes Basic authentication (see <see cref="UrlCredentials"/>).</summary>
    private static Uri? ReadUrl(JsonReaderContext r, JsonElement e, string path, Dictionary<string, string> headers)
    {
        var text = r.String(e, path, "url", required: true, maxLength: CatalogLimits.Url);
        if (text is null)
        {
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
        {
            r.Error($"{path}.url", "not an absolute http(s) URL");
            return null;
        }
        var (bare, authorization) = UrlCredentials.Split(url);
        if (authorization is not null)
        {
            if (headers.ContainsKey("Authorization"))
            {
                r.Error($"{path}.url", "has user:password and the endpoint also sets an Authorization header; keep only one of them");
                return null;
            }
            headers["Authorization"] = authorization;
        }
        return bare;
    }

    private static List<Condition>? ReadConditions(JsonReaderContext r, JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var arr))
        {
            return null;
        }
        if (arr.ValueKind != JsonValueKind.Array)
        {
            r.Error($"{path}.{name}", "must be an array of condition strings");
            return [];
        }
        if (arr.GetArrayLength() > CatalogLimits.Conditions)
        {
            r.Error($"{path}.{name}", $"at most {CatalogLimits.Conditions} conditions (got {arr.GetArrayLength()})");
            return [];
        }
        var list = new List<Condition>();
        var k = 0;
        foreach (var c in arr.EnumerateArray())
        {
            var at = $"{path}.{name}[{k++}]";
            if (c.ValueKind != JsonValueKind.String)
            {
                r.Error(at, "must be a string");
            }
            else if (JsonReaderContext.ReadString(c) is not { } text)
            {
                r.Error(at, "contains an unpaired surrogate escape");
            }
            else if (text.Length > CatalogLimits.Condition)
            {
                r.Error(at, $"conditions are at most {CatalogLimits.Condition} characters (got {text.Length})");
            }
            else if (TextRules.Problem(text) is { } problem)
            {
                r.Error(at, problem);
            }
            else if (Condition.TryParse(text, out var condition, out var error))
            {
                list.Add(condition);
            }
            else
            {
                r.Error(at, error);
            }
        }
        return list;
    }

    /// <summary>What an endpoint without conditions is held to: reachable and, for http, not an error status.</summary>
    private static List<Condition> DefaultConditions(EndpointKind kind) => kind switch
    {
        EndpointKind.Http => [Parse("[STATUS] < 400")],
        EndpointKind.Dns => [Parse("[DNS_RCODE] == NOERROR")],
        EndpointKind.Push => [], // judged by the clock; a beat's message can still be checked with [BODY]
        _ => [Parse("[CONNECTED] == true")],
    };

    private static Condition Parse(string text) =>
        Condition.TryParse(text, out var c, out var error) ? c : throw new InvalidOperationException(error);

    [GeneratedRegex("^[A-Za-z]{3,10}$")]
    private static partial Regex MethodPattern();
}
