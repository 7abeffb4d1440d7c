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

    public static string Encode(IReadOnlyDictionary<string, object?> properties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                if (value is null)
                {
                    continue;
                }
                var (type, text) = value switch
                {
                    string s => ("String", s),
                    int i => ("Int32", i.ToString(Inv)),
                    long l => ("Int64", l.ToString(Inv)),
                    double d => ("Double", d.ToString("R", Inv)),
                    bool b => ("Boolean", b ? "true" : "false"),
                    DateTimeOffset dt => ("DateTime", dt.UtcDateTime.ToString("O", Inv)),
                    Guid g => ("Guid", g.ToString()),
                    byte[] bytes => ("Binary", Convert.ToBase64String(bytes)),
                    _ => throw new TableStoreException(TableErrorKind.BadRequest, $"property '{name}': unsupported type {value.GetType().Name}"),
                };
                w.WriteStartObject(name);
                w.WriteString("t", type);
                w.WriteString("v", text);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
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
