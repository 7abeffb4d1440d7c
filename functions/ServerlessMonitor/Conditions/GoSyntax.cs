using System.Globalization;

namespace ServerlessMonitor.Conditions;

/// <summary>
/// The number and duration syntax Gatus inherits from Go (strconv.ParseInt with base 0,
/// time.ParseDuration). Gatus users write "0x1F", "0o17", "1_000", "1h30m" and expect them to work,
/// so these mirror Go's rules rather than .NET's.
/// </summary>
internal static class GoSyntax
{
    private const long NanosPerMillisecond = 1_000_000;

    /// <summary>Go's strconv.ParseInt(s, 0, 64): sign, 0x/0o/0b prefixes, a bare leading 0 means octal, '_' separators.</summary>
    public static bool TryParseInt64(string s, out long value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }
        var negative = s[0] == '-';
        var digits = s[0] is '-' or '+' ? s[1..] : s;
        if (digits.Length == 0 || !UnderscoresOk(digits))
        {
            return false;
        }
        var radix = 10;
        if (digits[0] == '0')
        {
            (radix, digits) = digits.Length >= 3 ? char.ToLowerInvariant(digits[1]) switch
            {
                'b' => (2, digits[2..]),
                'o' => (8, digits[2..]),
                'x' => (16, digits[2..]),
                _ => (8, digits[1..]),
            } : (8, digits[1..]);
        }
        ulong magnitude = 0;
        foreach (var c in digits)
        {
            if (c == '_')
            {
                continue;
            }
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => int.MaxValue,
            };
            if (digit >= radix || magnitude > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return false;
            }
            magnitude = magnitude * (ulong)radix + (ulong)digit;
        }
        // int64 is asymmetric: -9223372036854775808 is valid, +9223372036854775808 is not.
        var limit = negative ? (ulong)long.MaxValue + 1 : long.MaxValue;
        if (magnitude > limit)
        {
            return false;
        }
        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }

    /// <summary>Go's rule: an underscore must sit between digits (a base prefix counts as a digit).</summary>
    private static bool UnderscoresOk(string s)
    {
        var saw = '^';
        var i = 0;
        var hex = false;
        if (s.Length >= 2 && s[0] == '0' && char.ToLowerInvariant(s[1]) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = char.ToLowerInvariant(s[1]) == 'x';
        }
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c) || (hex && char.IsAsciiHexDigit(c)))
            {
                saw = '0';
            }
            else if (c == '_')
            {
                if (saw != '0')
                {
                    return false;
                }
                saw = '_';
            }
            else if (saw == '_')
            {
                return false;
            }
            else
            {
                saw = '!';
            }
        }
        return saw != '_';
    }

    /// <summary>A finite decimal number such as "123.4" or "1e3"; whitespace and thousands separators are not numbers.</summary>
    public static bool TryParseDouble(string s, out double value) =>
        double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Go's time.ParseDuration, e.g. "48h", "1h30m", "1.5s", "500ms". There is no day unit.</summary>
    public static bool TryParseDuration(string s, out long nanoseconds)
    {
        nanoseconds = 0;
        var negative = s.Length > 0 && s[0] == '-';
        var rest = s.Length > 0 && s[0] is '-' or '+' ? s.AsSpan(1) : s.AsSpan();
        if (rest is "0")
        {
            return true;
        }
        if (rest.IsEmpty)
        {
            return false;
        }
        decimal total = 0;
        while (!rest.IsEmpty)
        {
            var intLength = CountDigits(rest);
            var whole = rest[..intLength];
            rest = rest[intLength..];
            var fraction = ReadOnlySpan<char>.Empty;
            if (!rest.IsEmpty && rest[0] == '.')
            {
                rest = rest[1..];
                var fractionLength = CountDigits(rest);
                fraction = rest[..fractionLength];
                rest = rest[fractionLength..];
            }
            var unitLength = rest.IndexOfAny("0123456789.");
            unitLength = unitLength < 0 ? rest.Length : unitLength;
            // More than 19 integer digits overflows int64 nanoseconds in any unit.
            if ((whole.IsEmpty && fraction.IsEmpty) || unitLength == 0 || whole.Length > 19)
            {
                return false;
            }
            var unit = UnitNanoseconds(rest[..unitLength]);
            rest = rest[unitLength..];
            if (unit == 0)
            {
                return false;
            }
            var number = whole.IsEmpty ? 0m : decimal.Parse(whole, CultureInfo.InvariantCulture);
            if (number > long.MaxValue / unit)
            {
                return false;
            }
            // Go keeps only as many fraction digits as fit; 18 is well beyond nanosecond precision.
            var kept = fraction.Length > 18 ? fraction[..18] : fraction;
            var fractionValue = kept.IsEmpty ? 0m : decimal.Parse(kept, CultureInfo.InvariantCulture) / Pow10(kept.Length);
            total += decimal.Truncate(number * unit) + decimal.Truncate(fractionValue * unit);
            if (total > (decimal)long.MaxValue + 1)
            {
                return false;
            }
        }
        if (!negative && total > long.MaxValue)
        {
            return false;
        }
        nanoseconds = negative ? (long)-total : (long)total;
        return true;
    }

    /// <summary>A duration in whole milliseconds, as Go's Duration.Milliseconds() truncates.</summary>
    public static bool TryParseDurationMilliseconds(string s, out long milliseconds)
    {
        var ok = TryParseDuration(s, out var nanoseconds);
        milliseconds = nanoseconds / NanosPerMillisecond;
        return ok;
    }

    /// <summary>
    /// Milliseconds as a Go-style duration truncated to seconds without zero tail components:
    /// 336h, 1h30m, 1h0m15s, 45s, 0s. This is how Gatus displays [CERTIFICATE_EXPIRATION].
    /// </summary>
    public static string FormatDuration(long milliseconds)
    {
        var seconds = milliseconds / 1000;
        if (seconds == 0)
        {
            return "0s";
        }
        var sign = seconds < 0 ? "-" : "";
        var magnitude = (ulong)Math.Abs((decimal)seconds);
        var (h, m, sec) = (magnitude / 3600, magnitude % 3600 / 60, magnitude % 60);
        var text = h > 0 ? $"{h}h{m}m{sec}s" : m > 0 ? $"{m}m{sec}s" : $"{sec}s";
        if (sec == 0)
        {
            text = text[..^2];
            if (m == 0 && h > 0)
            {
                text = text[..^2];
            }
        }
        return sign + text;
    }

    private static int CountDigits(ReadOnlySpan<char> s)
    {
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }
        return i;
    }

    private static long UnitNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "\u00B5s" or "\u03BCs" => 1_000,
        "ms" => NanosPerMillisecond,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    };

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }
        return result;
    }
}
