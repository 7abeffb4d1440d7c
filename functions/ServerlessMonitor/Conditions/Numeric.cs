namespace ServerlessMonitor.Conditions;

/// <summary>
/// An operand of &lt; &lt;= &gt; &gt;=, read the way Gatus reads it: a Go duration becomes milliseconds
/// ("48h" → 172800000, so "[CERTIFICATE_EXPIRATION] > 48h" works), then a Go integer ("0x1F", "1_000"),
/// then a decimal number. Integers compare exactly; anything with a fraction compares as a double, where Gatus
/// truncates it to an integer first (a difference, see docs/CONDITIONS.md).
/// </summary>
internal readonly record struct Numeric(long Integer, double Real, bool IsInteger) : IComparable<Numeric>
{
    public static bool TryParse(string text, out Numeric value)
    {
        if (GoSyntax.TryParseDurationMilliseconds(text, out var milliseconds))
        {
            value = new Numeric(milliseconds, milliseconds, true);
            return true;
        }
        if (GoSyntax.TryParseInt64(text, out var integer))
        {
            value = new Numeric(integer, integer, true);
            return true;
        }
        if (GoSyntax.TryParseDouble(text, out var real))
        {
            value = new Numeric(0, real, false);
            return true;
        }
        value = default;
        return false;
    }

    public int CompareTo(Numeric other) =>
        IsInteger && other.IsInteger ? Integer.CompareTo(other.Integer) : Real.CompareTo(other.Real);
}
