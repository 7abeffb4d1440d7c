using System.Globalization;
using System.Text;

namespace ServerlessMonitor.Push;

/// <summary>
/// What a request to /api/push/{token}[/{signal}] says, read the way the tools people already use send it:
/// Uptime Kuma's <c>?status=up|down&amp;msg=…&amp;ping=…</c>, Healthchecks.io's <c>/start</c>, <c>/fail</c> and
/// <c>/{exit code}</c>, and a request body (at most 10 KiB of text) as the message.
/// </summary>
internal static class PushRequest
{
    /// <summary>The beat (its time is set when it is taken), or the problem with the request (a problem names the part at fault).</summary>
    public static (IncomingBeat? Beat, string? Problem, string? Field) Parse(string? signal, IQueryCollection query, string? body)
    {
        var message = string.IsNullOrEmpty(body) ? (string?)query["msg"] : body;
        if (message is { Length: > PushOptions.MaxBodyBytes })
        {
            return (null, $"the message is at most {PushOptions.MaxBodyBytes} characters", "msg");
        }
        long? ping = null;
        if (query["ping"] is { Count: > 0 } p && !string.IsNullOrEmpty(p))
        {
            if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) || ms < 0 || ms > int.MaxValue)
            {
                return (null, "'ping' is a duration in milliseconds (a non-negative number)", "ping");
            }
            ping = (long)ms;
        }
        BeatSignal? fromStatus = (string?)query["status"] switch
        {
            null or "" or "up" => BeatSignal.Success,
            "down" => BeatSignal.Failure,
            _ => null,
        };
        if (fromStatus is null)
        {
            return (null, "'status' is up or down", "status");
        }
        int? exitCode = null;
        BeatSignal kind;
        switch (signal)
        {
            case null:
                kind = fromStatus.Value;
                break;
            case "start":
                kind = BeatSignal.Start;
                break;
            case "fail":
                kind = BeatSignal.Failure;
                break;
            default:
                if (!int.TryParse(signal, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code > 255)
                {
                    return (null, "after the token comes start, fail or an exit code (0-255)", "signal");
                }
                exitCode = code;
                kind = code == 0 ? BeatSignal.Success : BeatSignal.Failure;
                break;
        }
        return (new IncomingBeat(kind, default, message, exitCode, ping), null, null);
    }

    /// <summary>The body as text, or null when it is longer than the cap (413).</summary>
    public static async Task<(bool TooLarge, string? Text)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        const int max = PushOptions.MaxBodyBytes;
        if (request.ContentLength > max)
        {
            return (true, null);
        }
        var buffer = new byte[max + 1];
        var length = 0;
        int read;
        while (length <= max && (read = await request.Body.ReadAsync(buffer.AsMemory(length, max + 1 - length), ct)) > 0)
        {
            length += read;
        }
        return length > max ? (true, null) : (false, length == 0 ? null : Encoding.UTF8.GetString(buffer, 0, length));
    }
}
