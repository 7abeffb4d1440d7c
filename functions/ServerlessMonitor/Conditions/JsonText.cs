using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ServerlessMonitor.Conditions;

/// <summary>
/// How Gatus turns a JSON value into the text a condition compares, and what len() counts:
/// strings as is (len: UTF-8 bytes), numbers and booleans as printed, arrays Go-style "[a b c]"
/// (len: element count), objects as minified JSON with sorted keys (len: its length).
/// </summary>
internal static class JsonText
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => StringOf(element),
        JsonValueKind.Object => MinifiedSorted(element),
        _ => GoValue(element),
    };

    public static int Length(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => element.GetArrayLength(),
        _ => Encoding.UTF8.GetByteCount(ToText(element)),
    };

    /// <summary>
    /// A string value. A probed body may escape half a surrogate pair ("\ud800"), which System.Text.Json
    /// refuses to decode; Go's decoder (and so Gatus) reads it as U+FFFD, and so does this.
    /// </summary>
    internal static string StringOf(JsonElement element)
    {
        try
        {
            return element.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return Unescape(element.GetRawText());
        }
    }

    // The raw token, quotes included, decoded escape by escape; an escaped surrogate without its pair becomes U+FFFD.
    private static string Unescape(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            if (raw[i] != '\\')
            {
                sb.Append(raw[i]);
                continue;
            }
            var e = raw[++i];
            if (e != 'u')
            {
                sb.Append(e switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => e });
                continue;
            }
            sb.Append((char)int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            i += 4;
        }
        for (var i = 0; i < sb.Length; i++)
        {
            if (char.IsHighSurrogate(sb[i]) && i + 1 < sb.Length && char.IsLowSurrogate(sb[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(sb[i]))
            {
                sb[i] = '\uFFFD';
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Integral numbers print as integers ("1234567", where Go's %v would print "1.234567e+06" and then
    /// fail an equality with 1234567); other numbers print in shortest round-trip form (docs/CONDITIONS.md).
    /// </summary>
    private static string Number(JsonElement element)
    {
        if (element.TryGetInt64(out var integer))
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }
        var real = element.GetDouble();
        return Math.Abs(real) < 1e18 && real == Math.Floor(real)
            ? ((long)real).ToString(CultureInfo.InvariantCulture)
            : real.ToString("R", CultureInfo.InvariantCulture);
    }

    // Go's fmt %v of the decoded value: what Gatus compares for arrays and array elements.
    private static string GoValue(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return StringOf(element);
            case JsonValueKind.Number:
                return Number(element);
            case JsonValueKind.True:
                return "true";
            case JsonValueKind.False:
                return "false";
            case JsonValueKind.Array:
                return "[" + string.Join(' ', element.EnumerateArray().Select(GoValue)) + "]";
            case JsonValueKind.Object:
                var pairs = element.EnumerateObject()
                    .OrderBy(p => p.Name, StringComparer.Ordinal)
                    .Select(p => p.Name + ":" + GoValue(p.Value));
                return "map[" + string.Join(' ', pairs) + "]";
            default:
                return "<nil>";
        }
    }

    private static string MinifiedSorted(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, element);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Go's encoding/json sorts map keys when it re-marshals an object; len() of an object depends on it.
    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(Number(element), skipInputValidation: true);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
