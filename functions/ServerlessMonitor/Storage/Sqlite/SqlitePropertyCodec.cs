using System.Buffers;
using System.Buffers.Text;
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

    /// <summary>
    /// The row's properties, read straight from the stored UTF-8 (no document, no string of the whole row); only the
    /// <paramref name="select"/>ed ones when given. Numbers, dates and GUIDs are parsed from the bytes.
    /// </summary>
    public static Dictionary<string, object?> Decode(ReadOnlySpan<byte> utf8, IReadOnlyList<string>? select = null)
    {
        var result = new Dictionary<string, object?>(select?.Count ?? 16, StringComparer.Ordinal);
        var reader = new Utf8JsonReader(utf8);
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Names.Get(ref reader);
            Expect(ref reader, JsonTokenType.StartObject);
            if (select is not null && !Contains(select, name))
            {
                reader.Skip();
                continue;
            }
            string? type = null;
            object? value = null;
            string? pending = null; // a value met before its type
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("t"u8);
                Expect(ref reader, JsonTokenType.String);
                if (isType)
                {
                    type = Types.Get(ref reader);
                    if (pending is not null)
                    {
                        value = Parse(type, pending);
                    }
                }
                else if (type is null)
                {
                    pending = reader.GetString();
                }
                else
                {
                    value = ParseValue(type, ref reader);
                }
            }
            result[name] = type is null ? throw new InvalidDataException($"stored property '{name}' has no type") : value;
        }
        return result;
    }

    private static bool Contains(IReadOnlyList<string> select, string name)
    {
        for (var i = 0; i < select.Count; i++)
        {
            if (select[i] == name)
            {
                return true;
            }
        }
        return false;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new InvalidDataException($"stored properties are not in the expected form (expected {token}, found {reader.TokenType})");
        }
    }

    private static object ParseValue(string type, ref Utf8JsonReader reader)
    {
        // Numbers, dates and GUIDs are written without escapes: parsed from the bytes, without a string.
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var bytes = reader.ValueSpan;
            switch (type)
            {
                case "Int32" when Utf8Parser.TryParse(bytes, out int i, out var n) && n == bytes.Length:
                    return i;
                case "Int64" when Utf8Parser.TryParse(bytes, out long l, out var n) && n == bytes.Length:
                    return l;
                case "Double" when double.TryParse(bytes, NumberStyles.Float, Inv, out var d):
                    return d;
                case "Boolean":
                    return bytes.SequenceEqual("true"u8);
                case "Guid" when Utf8Parser.TryParse(bytes, out Guid g, out var n) && n == bytes.Length:
                    return g;
                case "DateTime" when Utf8Parser.TryParse(bytes, out DateTime dt, out var n, 'O') && n == bytes.Length:
                    return new DateTimeOffset(dt.ToUniversalTime());
            }
        }
        return Parse(type, reader.GetString()!);
    }

    private static object Parse(string type, string text) => type switch
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

    // Property names repeat from row to row (a few dozen in all): each is made into a string once.
    private static readonly Interned Names = new(maxCount: 4096);

    private static readonly Interned Types = new(maxCount: 64);

    /// <summary>Strings of JSON text values, made once per distinct value (up to a bound, then made every time).</summary>
    private sealed class Interned(int maxCount)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);

        public string Get(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > 128)
            {
                return reader.GetString()!;
            }
            Span<char> chars = stackalloc char[128];
            var length = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
            var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars[..length], out var known))
            {
                return known;
            }
            var made = new string(chars[..length]);
            return _strings.Count < maxCount ? _strings.GetOrAdd(made, made) : made;
        }
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
