namespace ServerlessMonitor.Storage;

/// <summary>
/// An upper bound of the request body Azure Tables receives for a batch (a multipart changeset of
/// JSON entities), so that a batch over the service's 4 MiB limit is refused before anything is
/// sent, on both backends. Exact enough for real batches: escaping is counted per character the
/// way System.Text.Json's default encoder (the SDK's) writes it; only the fixed part is generous.
/// </summary>
internal static class BatchSize
{
    public const int MaxPayloadBytes = 4 * 1024 * 1024;

    // Batch and changeset boundaries around all parts.
    private const int Envelope = 512;

    // Per part: boundary, part headers, request line with the entity address (endpoint and table
    // name, up to ~500 characters), request headers including If-Match. Measured at ~450 plus the address.
    private const int PartOverhead = 1024;

    // Per property: the annotation ("Name@odata.type":"Edm.DateTime") next to the value, and punctuation.
    private const int PropertyOverhead = 32;

    public static long UpperBound(IReadOnlyList<TableOperation> operations)
    {
        long total = Envelope;
        for (var i = 0; i < operations.Count; i++)
        {
            var e = operations[i].Entity;
            total += PartOverhead + UrlKey(e.PartitionKey) + UrlKey(e.RowKey);
            total += "{\"PartitionKey\":,\"RowKey\":}".Length + JsonString(e.PartitionKey) + JsonString(e.RowKey);
            foreach (var (name, value) in e.Properties)
            {
                total += PropertyOverhead + 2 * JsonString(name) + Value(value);
            }
        }
        return total;
    }

    private static long Value(object? value) => value switch
    {
        string s => JsonString(s),
        byte[] b => 2 + 4L * ((b.Length + 2) / 3),
        int => 11,
        long => 22,
        double => 26,
        bool => 5,
        DateTimeOffset => 30,
        Guid => 38,
        _ => 0,
    };

    /// <summary>A JSON string literal as the default encoder writes it (non-ASCII and HTML-sensitive characters as \uXXXX).</summary>
    private static long JsonString(string s)
    {
        long n = 2;
        foreach (var c in s)
        {
            n += c switch
            {
                '"' or '\\' or '\b' or '\f' or '\n' or '\r' or '\t' => 2,
                '&' or '\'' or '+' or '<' or '>' or '`' => 6,
                < ' ' or > '~' => 6,
                _ => 1,
            };
        }
        return n;
    }

    /// <summary>A key in the entity address: quotes doubled, then percent-encoded as UTF-8.</summary>
    private static long UrlKey(string key)
    {
        long n = 0;
        foreach (var c in key)
        {
            n += c switch
            {
                '\'' => 6,
                _ when char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' => 1,
                <= '~' => 3,
                _ => 9,
            };
        }
        return n;
    }
}
