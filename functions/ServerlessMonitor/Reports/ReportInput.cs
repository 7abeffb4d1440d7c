using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Reports;

/// <summary>A validated report: a known kind and an optional cleaned message.</summary>
public sealed record ReportInput(string Kind, string? Message = null);

/// <summary>A rejected report body: which field is wrong and why.</summary>
public sealed record ReportInputError(string Field, string Detail);

/// <summary>
/// Parses a report body by hand (JsonDocument), so every problem can name its field, unknown fields
/// are ignored and nothing is bound by reflection.
/// </summary>
public static partial class ReportInputParser
{
    public const int MaxBodyBytes = 4096;
    public const int MaxMessageLength = 500;

    public static (ReportInput? Input, ReportInputError? Error) Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            return (null, new ReportInputError("body", "The body is not JSON. Send {\"kind\":\"app\",\"message\":\"optional text\"}."));
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, new ReportInputError("body", "The body must be a JSON object."));
            }
            var known = string.Join(", ", ReportKinds.All);
            if (!root.TryGetProperty("kind", out var kindElement) || kindElement.ValueKind == JsonValueKind.Null)
            {
                return (null, new ReportInputError("kind", $"'kind' is required: one of {known}."));
            }
            var kind = kindElement.ValueKind == JsonValueKind.String ? ReportKinds.Normalize(JsonReaderContext.ReadString(kindElement)) : null;
            if (kind is null)
            {
                var shown = kindElement.ValueKind == JsonValueKind.String ? JsonReaderContext.ReadString(kindElement) : null;
                return (null, new ReportInputError("kind", $"'kind': '{TextRules.Quote(shown ?? kindElement.GetRawText())}' is not one of {known}."));
            }
            string? message = null;
            if (root.TryGetProperty("message", out var messageElement) && messageElement.ValueKind != JsonValueKind.Null)
            {
                // An escaped half surrogate ("\ud800") is valid JSON that no .NET string can hold.
                if (messageElement.ValueKind != JsonValueKind.String || JsonReaderContext.ReadString(messageElement) is not { } text)
                {
                    return (null, new ReportInputError("message", "'message' must be a string of valid Unicode text."));
                }
                message = Normalize(text);
                if (message.Length > MaxMessageLength)
                {
                    return (null, new ReportInputError("message", $"'message' is {message.Length} characters long; at most {MaxMessageLength} are allowed."));
                }
                // Masking after the length check: a mask may be a character longer than what it hides.
                message = Mask(message);
            }
            return (new ReportInput(kind, string.IsNullOrEmpty(message) ? null : message), null);
        }
    }

    /// <summary>Control characters become spaces, whitespace runs collapse, the ends are trimmed.</summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var mapped = char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c;
            if (mapped != ' ' || (sb.Length > 0 && sb[^1] != ' '))
            {
                sb.Append(mapped);
            }
        }
        return sb.ToString().Trim();
    }

    /// <summary>
    /// E-mail addresses and long digit runs (phone, account and card numbers) are masked: messages are
    /// shown publicly and must never carry personal data.
    /// </summary>
    public static string Mask(string text) => LongNumber().Replace(Email().Replace(text, "[email]"), "[number]");

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex Email();

    // Seven or more digits, possibly split by spaces, dots, dashes or parentheses: a phone or account number.
    [GeneratedRegex(@"\+?\d(?:[\s().-]*\d){6,}")]
    private static partial Regex LongNumber();
}
