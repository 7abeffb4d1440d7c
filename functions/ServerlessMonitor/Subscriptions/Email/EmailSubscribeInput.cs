using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>A form post or JSON body of the email routes, read to at most <see cref="MaxBodyBytes"/>.</summary>
internal sealed record EmailInput(IReadOnlyDictionary<string, string> Fields, bool IsForm, int? ErrorStatus = null, string? Error = null)
{
    public const int MaxBodyBytes = 4096;

    public string? this[string name] => Fields.TryGetValue(name, out var v) ? v : null;

    public static async Task<EmailInput> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var isForm = request.HasFormContentType;
        var isJson = request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
        if (!isForm && !isJson)
        {
            return new EmailInput(new Dictionary<string, string>(), false, StatusCodes.Status415UnsupportedMediaType,
                "Send a form (application/x-www-form-urlencoded) or JSON.");
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge(isForm);
        }
        var buffer = new byte[MaxBodyBytes + 1];
        var count = 0;
        int read;
        while (count < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(count), ct)) > 0)
        {
            count += read;
        }
        if (count > MaxBodyBytes)
        {
            return TooLarge(isForm);
        }
        var text = Encoding.UTF8.GetString(buffer, 0, count);
        return isForm ? new EmailInput(QueryHelpers.ParseQuery(text).ToDictionary(p => p.Key, p => p.Value.ToString()), true) : FromJson(text);
    }

    private static EmailInput FromJson(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new EmailInput(new Dictionary<string, string>(), false, StatusCodes.Status400BadRequest, "The body must be a JSON object.");
            }
            var fields = doc.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                .GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().Value.GetString()!);
            return new EmailInput(fields, false);
        }
        catch (JsonException)
        {
            return new EmailInput(new Dictionary<string, string>(), false, StatusCodes.Status400BadRequest, "The body is not JSON.");
        }
    }

    private static EmailInput TooLarge(bool isForm) =>
        new(new Dictionary<string, string>(), isForm, StatusCodes.Status413PayloadTooLarge, $"The body is at most {MaxBodyBytes} bytes.");
}
