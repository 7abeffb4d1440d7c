using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>
/// Entities in the Table service's JSON (OData minimal metadata). Writing annotates every type
/// JSON can't carry unambiguously; reading honours annotations and infers the rest the way the
/// service omits them (String, Int32, Boolean, and Double with a fractional part).
/// </summary>
internal static class EntityJson
{
    private const string TypeSuffix = "@odata.type";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static byte[] Write(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("PartitionKey", entity.PartitionKey);
            w.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity.Properties)
            {
                WriteProperty(w, name, value);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteProperty(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            // Null means "no value": absent on both backends.
            case null:
                break;
            case string s:
                w.WriteString(name, s);
                break;
            case int i:
                w.WriteNumber(name, i);
                break;
            case long l:
                // JSON numbers lose precision past 2^53, so Int64 travels as an annotated string.
                Annotated(w, name, "Edm.Int64", l.ToString(Inv));
                break;
            case double d:
                // Always annotated: 2.0 would otherwise come back as Int32, NaN/Infinity need strings.
                w.WriteString(name + TypeSuffix, "Edm.Double");
                if (double.IsFinite(d))
                {
                    w.WriteNumber(name, d);
                }
                else
                {
                    w.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }
                break;
            case bool b:
                w.WriteBoolean(name, b);
                break;
            case DateTimeOffset dt:
                Annotated(w, name, "Edm.DateTime", FormatDate(dt));
                break;
            case Guid g:
                Annotated(w, name, "Edm.Guid", g.ToString("D"));
                break;
            case byte[] bytes:
                Annotated(w, name, "Edm.Binary", Convert.ToBase64String(bytes));
                break;
            default:
                throw new TableStoreException(TableErrorKind.BadRequest, $"property '{name}': unsupported type {value.GetType().Name}");
        }
    }

    internal static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", Inv);

    private static void Annotated(Utf8JsonWriter w, string name, string type, string value)
    {
        w.WriteString(name + TypeSuffix, type);
        w.WriteString(name, value);
    }

    /// <summary>Reads one entity object; <paramref name="etag"/> wins over odata.etag when given (point reads).</summary>
    public static TableEntity Read(JsonElement obj, string? etag = null)
    {
        string? pk = null, rk = null;
        DateTimeOffset? timestamp = null;
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Name.EndsWith(TypeSuffix, StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.String)
            {
                types[p.Name[..^TypeSuffix.Length]] = p.Value.GetString()!;
            }
        }
        var props = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            switch (p.Name)
            {
                case "PartitionKey":
                    pk = p.Value.GetString();
                    continue;
                case "RowKey":
                    rk = p.Value.GetString();
                    continue;
                case "Timestamp":
                    timestamp = ParseDate(p.Value.GetString()!);
                    continue;
                case "odata.etag":
                    etag ??= p.Value.GetString();
                    continue;
            }
            // odata.* are service metadata; a selected property the row lacks comes back as null.
            if (p.Name.StartsWith("odata.", StringComparison.Ordinal) || p.Name.Contains('@') || p.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            props[p.Name] = ReadValue(p.Name, p.Value, types.GetValueOrDefault(p.Name));
        }
        if (pk is null || rk is null)
        {
            throw new TableStoreException(TableErrorKind.BadRequest, "the service returned an entity without PartitionKey/RowKey");
        }
        return new TableEntity(pk, rk, props) { ETag = etag, Timestamp = timestamp };
    }

    private static object ReadValue(string name, JsonElement v, string? type)
    {
        try
        {
            return type switch
            {
                "Edm.Int64" => v.ValueKind == JsonValueKind.String ? long.Parse(v.GetString()!, Inv) : v.GetInt64(),
                "Edm.Int32" => v.GetInt32(),
                "Edm.Double" => v.ValueKind == JsonValueKind.String ? ParseDouble(v.GetString()!) : v.GetDouble(),
                "Edm.DateTime" => ParseDate(v.GetString()!),
                "Edm.Guid" => Guid.Parse(v.GetString()!),
                "Edm.Binary" => Convert.FromBase64String(v.GetString()!),
                "Edm.Boolean" => v.GetBoolean(),
                "Edm.String" => v.GetString()!,
                null => Infer(v),
                _ => throw new FormatException($"unknown type '{type}'"),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException)
        {
            throw new TableStoreException(TableErrorKind.BadRequest, $"property '{name}' could not be read as {type ?? v.ValueKind.ToString()}: {e.Message}", inner: e);
        }
    }

    private static object Infer(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        // Integral literals are Int32 (the service annotates Int64); anything else is a Double.
        JsonValueKind.Number when v.TryGetInt32(out var i) && IsIntegralLiteral(v) => i,
        JsonValueKind.Number => v.GetDouble(),
        _ => throw new FormatException($"unexpected JSON {v.ValueKind}"),
    };

    private static bool IsIntegralLiteral(JsonElement v) => v.GetRawText().AsSpan().IndexOfAny(".eE") < 0;

    private static double ParseDouble(string s) => s switch
    {
        "NaN" => double.NaN,
        "Infinity" or "INF" => double.PositiveInfinity,
        "-Infinity" or "-INF" => double.NegativeInfinity,
        _ => double.Parse(s, NumberStyles.Float, Inv),
    };

    private static DateTimeOffset ParseDate(string s) =>
        DateTimeOffset.Parse(s, Inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
