using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ServerlessMonitor.Conditions;

internal enum Placeholder
{
    Status,
    ResponseTime,
    Ip,
    Connected,
    DnsRcode,
    CertificateExpiration,
    Body,
}

internal enum PlaceholderFunction
{
    None,
    Len,
    Has,
}

/// <summary>
/// The value of an operand for one response; invalid when a [BODY] path could not be followed. A memory rather than
/// a string, so that a whole [BODY] is compared where the prober holds it instead of being copied.
/// </summary>
internal readonly record struct ResolvedValue(ReadOnlyMemory<char> Value, bool Invalid)
{
    /// <summary>Longer values are only ever a whole body: never a number, and never copied into a string of their own.</summary>
    public const int ShortLength = 4096;

    public ResolvedValue(string text, bool invalid)
        : this(text.AsMemory(), invalid)
    {
    }

    public bool IsShort => Value.Length <= ShortLength;

    /// <summary>The value as a string; only for short values (<see cref="IsShort"/>).</summary>
    public string Text => Value.ToString();
}

/// <summary>One side of a condition, parsed once; <see cref="Text"/> is the side as written (trimmed).</summary>
internal abstract record Operand(string Text)
{
    public virtual ResolvedValue Resolve(EvaluationContext context) => new(Text, false);
}

/// <summary>A constant such as 200, UP or 48h; <see cref="Number"/> is set when it reads as a number or duration.</summary>
internal sealed record LiteralOperand(string Text, Numeric? Number) : Operand(Text);

/// <summary>pat(...), on either side of == or !=.</summary>
internal sealed record PatternOperand(string Text, GlobPattern Pattern) : Operand(Text);

/// <summary>any(a, b, c), on either side of == or !=; options are trimmed and compared as exact strings, as in Gatus.</summary>
internal sealed record AnyOperand(string Text, IReadOnlyList<string> Options) : Operand(Text);

/// <summary>[STATUS], [BODY].a.b, len([BODY].items), has([BODY].errors) …</summary>
internal sealed record PlaceholderOperand(string Text, Placeholder Placeholder, PlaceholderFunction Function, JsonPath? Path) : Operand(Text)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override ResolvedValue Resolve(EvaluationContext context)
    {
        var response = context.Response;
        var scalar = Placeholder switch
        {
            Placeholder.Status => (response.StatusCode ?? 0).ToString(Inv),
            Placeholder.ResponseTime => (response.Timings.Total.Ticks / TimeSpan.TicksPerMillisecond).ToString(Inv),
            Placeholder.Ip => response.Ip ?? "",
            Placeholder.Connected => response.Connected ? "true" : "false",
            Placeholder.DnsRcode => response.DnsRcode ?? "",
            Placeholder.CertificateExpiration => response.CertificateExpiry is { } expiry
                ? ((expiry - context.Now).Ticks / TimeSpan.TicksPerMillisecond).ToString(Inv)
                : "0",
            _ => null,
        };
        if (scalar is not null)
        {
            return Valid(Function switch
            {
                PlaceholderFunction.Has => Bool(scalar.Length > 0),
                PlaceholderFunction.Len => Encoding.UTF8.GetByteCount(scalar).ToString(Inv),
                _ => scalar,
            });
        }
        return Path is null ? ResolveWholeBody(context) : ResolveBodyPath(context, Path);
    }

    private ResolvedValue ResolveWholeBody(EvaluationContext context)
    {
        var body = context.Response.Body?.Text ?? ReadOnlyMemory<char>.Empty;
        switch (Function)
        {
            case PlaceholderFunction.Has:
                return Valid(Bool(body.Span.Trim().Length > 0));
            case PlaceholderFunction.Len:
                // Gatus counts the elements of a JSON array body and the raw bytes of anything else.
                var looksLikeArray = body.Length > 1 && body.Span[0] == '[' && body.Span[^1] == ']';
                if (looksLikeArray && context.Json is { ValueKind: JsonValueKind.Array } array)
                {
                    return Valid(array.GetArrayLength().ToString(Inv));
                }
                return Valid(Encoding.UTF8.GetByteCount(looksLikeArray ? body.Span.Trim() : body.Span).ToString(Inv));
            default:
                return new ResolvedValue(body.Trim(), false);
        }
    }

    private ResolvedValue ResolveBodyPath(EvaluationContext context, JsonPath path)
    {
        JsonElement element = default;
        var found = context.Json is { } root && path.TryWalk(root, out element);
        if (Function == PlaceholderFunction.Has)
        {
            return Valid(Bool(found));
        }
        if (!found)
        {
            return new ResolvedValue("", invalid: true);
        }
        return Valid(Function == PlaceholderFunction.Len ? JsonText.Length(element).ToString(Inv) : JsonText.ToText(element));
    }

    private static ResolvedValue Valid(string text) => new(text, false);

    private static string Bool(bool value) => value ? "true" : "false";
}
