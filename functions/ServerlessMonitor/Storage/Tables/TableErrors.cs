using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>Maps the Table service's status codes and OData errors to <see cref="TableStoreException"/>.</summary>
internal static partial class TableErrors
{
    public static TableErrorKind KindOf(int status, string? code) => status switch
    {
        404 => TableErrorKind.NotFound,
        409 => TableErrorKind.Conflict,
        412 => TableErrorKind.PreconditionFailed,
        429 => TableErrorKind.Throttled,
        // Storage signals throttling as 503 ServerBusy; other 503s are outages.
        503 when code is "ServerBusy" => TableErrorKind.Throttled,
        408 or >= 500 => TableErrorKind.Unavailable,
        _ => TableErrorKind.BadRequest,
    };

    /// <summary>
    /// The error code and message of an OData error body, with the batch index that Azure puts in
    /// front of the message ("2:The specified entity already exists.") split off.
    /// </summary>
    public static (string? Code, string Message, int? Index) Parse(string? body, string? headerCode)
    {
        string? code = headerCode;
        var message = "";
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty("odata.error", out var error))
                {
                    code = error.TryGetProperty("code", out var c) ? c.GetString() : code;
                    if (error.TryGetProperty("message", out var m))
                    {
                        message = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() ?? "" : m.ToString();
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON (a proxy or an XML error): keep the start of the text as the message.
                message = body.Length > 300 ? body[..300] : body;
            }
        }
        int? index = null;
        var match = IndexPrefix().Match(message);
        if (match.Success)
        {
            index = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            message = message[match.Length..];
        }
        // The service appends "\nRequestId:…\nTime:…"; the first line is the useful part.
        var firstLine = message.Split('\n', 2)[0].Trim();
        return (code, firstLine, index);
    }

    public static TableStoreException Create(int status, string? code, string message, int? index = null, string? context = null)
    {
        var text = $"{(context is null ? "" : context + ": ")}{code ?? "HTTP " + status} ({status}){(message.Length > 0 ? ": " + message : "")}";
        return new TableStoreException(KindOf(status, code), text, index);
    }

    [GeneratedRegex(@"^(\d+):")]
    private static partial Regex IndexPrefix();
}
