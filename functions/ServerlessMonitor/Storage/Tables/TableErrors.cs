using System.Text.RegularExpressions;
using Azure;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>Maps the SDK's failures (status, service error code) to <see cref="TableStoreException"/>.</summary>
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
    /// The service's answer in one line: its error code, the status and the first line of its message.
    /// The SDK's own message goes on with the response content and headers, which we keep out of logs.
    /// </summary>
    public static TableStoreException From(RequestFailedException e, string context, int? index = null)
    {
        if (e.Status == 0)
        {
            return Unreachable(e, context);
        }
        var code = ErrorCode(e);
        var text = $"{context}: {code ?? "HTTP " + e.Status} ({e.Status})";
        var message = ServiceMessage(e.Message);
        return new TableStoreException(KindOf(e.Status, code), message.Length > 0 ? $"{text}: {message}" : text, index, e);
    }

    // The SDK takes the code from the error body; without a body (a proxy, a bare 503) only the header has it.
    private static string? ErrorCode(RequestFailedException e) =>
        e.ErrorCode ?? (e.GetRawResponse() is { } r && r.Headers.TryGetValue("x-ms-error-code", out var code) ? code : null);

    /// <summary>No answer at all: connection refused, DNS, timeouts, retries exhausted on them.</summary>
    public static TableStoreException Unreachable(Exception e, string context) =>
        new(TableErrorKind.Unavailable, $"{context}: the table service did not answer ({FirstLine(e.Message)})", inner: e);

    // Batch failures start with the failing operation's index ("2:The specified entity already
    // exists."); the index is reported separately, and the service appends "\nRequestId:…".
    private static string ServiceMessage(string message) => IndexPrefix().Replace(FirstLine(message), "");

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    [GeneratedRegex(@"^\d+:")]
    private static partial Regex IndexPrefix();
}
