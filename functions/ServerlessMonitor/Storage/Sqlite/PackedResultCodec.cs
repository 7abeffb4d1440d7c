using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ServerlessMonitor.Storage.Sqlite;

/// <summary>
/// The compact form of a steady result row (issue 24: a steady healthy check grows the file by at most 150 bytes). What
/// repeats from check to check is stored once in the names table and referred to by number: the row's shape (property
/// names and kinds, in order) and each text with its numbers cut out ("✓ [STATUS] (#) == #", "#.#.#.#"). A row is then
/// its shape's number and its values as variable-length integers. The region and time the row key already holds are not
/// stored again. Events (failures, status changes) and anything not exactly representable stay full rows.
/// </summary>
internal static class PackedResultCodec
{
    private const char Number = '\u0001';
    private const int MaxText = 512;
    private const int MaxDigits = 18;

    /// <summary>The packed value of a steady result row, or null when the row is to be stored in full.</summary>
    public static byte[]? TryPack(TableEntity row, long invertedTicks, string region, Func<string, long> intern)
    {
        if (ResultEvents.IsEvent(row) || !row.Properties.All(p => p.Value is null || Packable(p.Key, p.Value)))
        {
            return null;
        }
        var keyTicks = DateTimeOffset.MaxValue.UtcTicks - invertedTicks;
        var shape = new StringBuilder();
        var values = new ArrayBufferWriter<byte>(64);
        foreach (var (name, value) in row.Properties)
        {
            var tag = value switch
            {
                string s when s == region => 'k',
                string s => Text(s, intern, values),
                int i => Signed(i, 'i', values),
                long l => Signed(l, 'l', values),
                double d => Double(d, values),
                bool b => b ? '1' : '0',
                DateTimeOffset t when t.UtcTicks == keyTicks => 't',
                DateTimeOffset t => Signed(t.UtcTicks - keyTicks, 'd', values),
                _ => '\0', // null: not stored, as by every store
            };
            if (tag != '\0')
            {
                shape.Append(tag).Append(name).Append('\n');
            }
        }
        var packed = new ArrayBufferWriter<byte>(values.WrittenCount + 4);
        Varint.WriteUnsigned(packed, (ulong)intern(shape.ToString()));
        packed.Write(values.WrittenSpan);
        return packed.WrittenSpan.ToArray();
    }

    /// <summary>The row's properties (only the <paramref name="select"/>ed ones when given).</summary>
    public static Dictionary<string, object?> Unpack(ReadOnlySpan<byte> packed, long invertedTicks, string region, Func<long, string> text,
        IReadOnlyList<string>? select = null)
    {
        var keyTicks = DateTimeOffset.MaxValue.UtcTicks - invertedTicks;
        var at = 0;
        var shape = text((long)Varint.ReadUnsigned(packed, ref at)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var result = new Dictionary<string, object?>(shape.Length, StringComparer.Ordinal);
        foreach (var field in shape)
        {
            var name = field[1..];
            object value = field[0] switch
            {
                'k' => region,
                's' => Untemplate(text((long)Varint.ReadUnsigned(packed, ref at)), packed, ref at),
                'i' => (int)Varint.ReadSigned(packed, ref at),
                'l' => Varint.ReadSigned(packed, ref at),
                'f' => ReadDouble(packed, ref at),
                '1' => true,
                '0' => false,
                't' => new DateTimeOffset(keyTicks, TimeSpan.Zero),
                'd' => new DateTimeOffset(keyTicks + Varint.ReadSigned(packed, ref at), TimeSpan.Zero),
                var tag => throw new InvalidDataException($"packed result: unknown kind '{tag}' of property '{name}'"),
            };
            if (select is null || select.Contains(name))
            {
                result[name] = value;
            }
        }
        return result;
    }

    private static bool Packable(string name, object value) => !name.Contains('\n') && value switch
    {
        string s => s.Length <= MaxText && !s.Contains(Number),
        int or long or double or bool or DateTimeOffset => true,
        _ => false,
    };

    /// <summary>Each run of digits that reads back the same as a number (no leading zero, not too long) is cut out of the text.</summary>
    private static char Text(string s, Func<string, long> intern, ArrayBufferWriter<byte> values)
    {
        var template = new StringBuilder(s.Length);
        var numbers = new List<ulong>();
        for (var i = 0; i < s.Length;)
        {
            var end = i;
            while (end < s.Length && char.IsAsciiDigit(s[end]))
            {
                end++;
            }
            var run = end - i;
            if (run > 0 && run <= MaxDigits && (s[i] != '0' || run == 1))
            {
                numbers.Add(ulong.Parse(s.AsSpan(i, run), System.Globalization.CultureInfo.InvariantCulture));
                template.Append(Number);
                i = end;
            }
            else
            {
                template.Append(s, i, Math.Max(run, 1));
                i += Math.Max(run, 1);
            }
        }
        Varint.WriteUnsigned(values, (ulong)intern(template.ToString()));
        foreach (var n in numbers)
        {
            Varint.WriteUnsigned(values, n);
        }
        return 's';
    }

    private static string Untemplate(string template, ReadOnlySpan<byte> packed, ref int at)
    {
        var s = new StringBuilder(template.Length + 16);
        foreach (var c in template)
        {
            if (c == Number)
            {
                s.Append(Varint.ReadUnsigned(packed, ref at));
            }
            else
            {
                s.Append(c);
            }
        }
        return s.ToString();
    }

    private static char Signed(long v, char tag, ArrayBufferWriter<byte> values)
    {
        Varint.WriteSigned(values, v);
        return tag;
    }

    private static double ReadDouble(ReadOnlySpan<byte> packed, ref int at)
    {
        var d = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(packed[at..]));
        at += 8;
        return d;
    }

    private static char Double(double d, ArrayBufferWriter<byte> values)
    {
        BinaryPrimitives.WriteInt64LittleEndian(values.GetSpan(8), BitConverter.DoubleToInt64Bits(d));
        values.Advance(8);
        return 'f';
    }
}

/// <summary>LEB128 integers (signed ones zig-zagged): small numbers take one byte.</summary>
internal static class Varint
{
    public static void WriteUnsigned(ArrayBufferWriter<byte> w, ulong v)
    {
        var span = w.GetSpan(10);
        var n = 0;
        while (v >= 0x80)
        {
            span[n++] = (byte)(v | 0x80);
            v >>= 7;
        }
        span[n++] = (byte)v;
        w.Advance(n);
    }

    public static void WriteSigned(ArrayBufferWriter<byte> w, long v) => WriteUnsigned(w, (ulong)((v << 1) ^ (v >> 63)));

    public static ulong ReadUnsigned(ReadOnlySpan<byte> s, ref int at)
    {
        ulong v = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= s.Length)
            {
                break;
            }
            var b = s[at++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return v;
            }
        }
        throw new InvalidDataException("packed result: a number runs past the end of the row");
    }

    public static long ReadSigned(ReadOnlySpan<byte> s, ref int at)
    {
        var u = ReadUnsigned(s, ref at);
        return (long)(u >> 1) ^ -(long)(u & 1);
    }
}
