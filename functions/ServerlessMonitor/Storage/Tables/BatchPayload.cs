using System.Text;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>
/// The multipart/mixed body of an entity group transaction (one batch holding one changeset) and
/// the parsing of its multipart response.
/// </summary>
internal static class BatchPayload
{
    /// <summary>The service rejects larger transactions; we reject them first with a clear message.</summary>
    public const int MaxPayloadBytes = 4 * 1024 * 1024;

    private const string Crlf = "\r\n";

    public static (byte[] Body, string ContentType) Build(IReadOnlyList<EntityRequest> requests)
    {
        var batch = "batch_" + Guid.NewGuid().ToString("D");
        var changeset = "changeset_" + Guid.NewGuid().ToString("D");
        using var body = new MemoryStream();
        Write(body, $"--{batch}{Crlf}Content-Type: multipart/mixed; boundary={changeset}{Crlf}{Crlf}");
        foreach (var r in requests)
        {
            var part = new StringBuilder()
                .Append($"--{changeset}{Crlf}")
                .Append($"Content-Type: application/http{Crlf}")
                .Append($"Content-Transfer-Encoding: binary{Crlf}{Crlf}")
                .Append($"{r.Method.Method} {r.Uri.AbsoluteUri} HTTP/1.1{Crlf}")
                .Append($"Accept: application/json;odata=minimalmetadata{Crlf}")
                .Append($"DataServiceVersion: 3.0{Crlf}");
            if (r.IfMatch is not null)
            {
                part.Append($"If-Match: {r.IfMatch}{Crlf}");
            }
            if (r.PreferNoContent)
            {
                part.Append($"Prefer: return-no-content{Crlf}");
            }
            if (r.Body is not null)
            {
                part.Append($"Content-Type: application/json{Crlf}");
            }
            part.Append(Crlf);
            Write(body, part.ToString());
            if (r.Body is not null)
            {
                body.Write(r.Body);
            }
            Write(body, Crlf);
        }
        Write(body, $"--{changeset}--{Crlf}--{batch}--{Crlf}");
        return (body.ToArray(), $"multipart/mixed; boundary={batch}");
    }

    /// <summary>One HTTP response inside the multipart response.</summary>
    public sealed record Part(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>
    /// Reads every embedded "HTTP/1.1 nnn" response in order. Boundaries differ between Azure and
    /// Azurite, so parts are recognised by their status line and end at the next "--" boundary line.
    /// </summary>
    public static List<Part> ParseResponse(string text)
    {
        var parts = new List<Part>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
            {
                continue;
            }
            var status = int.Parse(lines[i].AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (i++; i < lines.Length && lines[i].Length > 0; i++)
            {
                var colon = lines[i].IndexOf(':');
                if (colon > 0)
                {
                    headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
                }
            }
            var body = new StringBuilder();
            for (i++; i < lines.Length && !lines[i].StartsWith("--", StringComparison.Ordinal); i++)
            {
                body.Append(lines[i]).Append('\n');
            }
            i--;
            parts.Add(new Part(status, headers, body.ToString().Trim()));
        }
        return parts;
    }

    private static void Write(Stream s, string text) => s.Write(Encoding.UTF8.GetBytes(text));
}
