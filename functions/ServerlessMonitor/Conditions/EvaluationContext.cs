using System.Text.Json;

namespace ServerlessMonitor.Conditions;

/// <summary>
/// One evaluation of one condition. The body is parsed as JSON lazily and at most once, because
/// "[BODY].a == [BODY].b" has two body operands and most conditions have none.
/// </summary>
internal sealed class EvaluationContext(ProbeResponse response, DateTimeOffset now) : IDisposable
{
    private JsonDocument? document;
    private bool parsed;

    public ProbeResponse Response => response;

    public DateTimeOffset Now => now;

    /// <summary>The body's root JSON element, or null when the body is absent or not valid JSON.</summary>
    public JsonElement? Json
    {
        get
        {
            if (!parsed)
            {
                parsed = true;
                try
                {
                    document = JsonDocument.Parse(response.Body?.Text ?? ReadOnlyMemory<char>.Empty);
                }
                catch (JsonException)
                {
                    // Not JSON (an HTML error page, a truncated body): every JSON path is invalid.
                    document = null;
                }
            }
            return document?.RootElement;
        }
    }

    public void Dispose() => document?.Dispose();
}
