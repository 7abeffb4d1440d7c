using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ServerlessMonitor.Storage.Sqlite;

/// <summary>
/// Stores typed properties as one JSON object per row: {"name":{"t":"Int64","v":"42"}}.
/// Types are kept explicitly so that values round-trip exactly as on Azure Tables.
/// </summary>
internal static class SqlitePropertyCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // One buffer and writer per thread, reset per row: a row's JSON is built without growing a new buffer.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>The row's JSON as UTF-8 bytes, as SQLite stores it.</summary>
    public static byte[] EncodeUtf8(IReadOnlyDictionary<string, object?> properties)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer);
        w.Reset(buffer);
        Span<char> number = stackalloc char[40];
        w.WriteStartObject();
        foreach (var (name, value) in properties)
        {
            if (value is null)
            {
                continue;
            }
            w.WriteStartObject(name);
            switch (value)
            {
                case string s:
                    Write(w, "String", s);
                    break;
                case int i when i.TryFormat(number, out var n, default, Inv):
                    Write(w, "Int32", number[..n]);
                    break;
                case long l when l.TryFormat(number, out var n, default, Inv):
                    Write(w, "Int64", number[..n]);
                    break;
                case double d when d.TryFormat(number, out var n, "R", Inv):
                    Write(w, "Double", number[..n]);
                    break;
                case bool b:
                    Write(w, "Boolean", b ? "true" : "false");
                    break;
                case DateTimeOffset dt when dt.UtcDateTime.TryFormat(number, out var n, "O", Inv):
                    Write(w, "DateTime", number[..n]);
                    break;
                case Guid g:
                    Write(w, "Guid", g.ToString());
                    break;
                case byte[] bytes:
                    Write(w, "Binary", Convert.ToBase64String(bytes));
                    break;
                default:
                    throw new TableStoreException(TableErrorKind.BadRequest, $"property '{name}': unsupported type {value.GetType().Name}");
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter w, string type, ReadOnlySpan<char> text)
    {
        w.WriteString("t"u8, type);
        w.WriteString("v"u8, text);
    }

    public static Dictionary<string, object?> Decode(string json)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            var type = p.Value.GetProperty("t").GetString();
            var text = p.Value.GetProperty("v").GetString()!;
            result[p.Name] = type switch
            {
                "String" => text,
                "Int32" => int.Parse(text, Inv),
                "Int64" => long.Parse(text, Inv),
                "Double" => double.Parse(text, Inv),
                "Boolean" => text == "true",
                "DateTime" => new DateTimeOffset(DateTime.Parse(text, Inv, DateTimeStyles.RoundtripKind).ToUniversalTime()),
                "Guid" => Guid.Parse(text),
                "Binary" => Convert.FromBase64String(text),
                _ => throw new InvalidDataException($"unknown stored property type '{type}'"),
            };
        }
        return result;
    }

    public static Dictionary<string, object?> Merge(IReadOnlyDictionary<string, object?> existing, IReadOnlyDictionary<string, object?> update)
    {
        var merged = new Dictionary<string, object?>(existing, StringComparer.Ordinal);
        // As on Azure Tables, a merge cannot remove a property: null values are simply not sent.
        foreach (var (k, v) in update)
        {
            if (v is not null)
            {
                merged[k] = v;
            }
        }
        return merged;
    }
}
