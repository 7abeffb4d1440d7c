using System.Globalization;
using System.Net.Http.Headers;

namespace ServerlessMonitor.Notifications;

/// <summary>Text helpers every channel shares: truncation at a provider's limit, secret scrubbing, Retry-After.</summary>
public static class ChannelText
{
    public const string Ellipsis = "…";

    /// <summary>At most <paramref name="max"/> characters (UTF-16 code units, as the providers count), ending in "…" when cut.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        if (max < Ellipsis.Length)
        {
            return "";
        }
        var cut = max - Ellipsis.Length;
        // Never split a surrogate pair: half an emoji is invalid text to the receiver.
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }
        return text[..cut] + Ellipsis;
    }

    /// <summary>The text with every secret replaced, so a provider's answer that echoes one is safe to log and show.</summary>
    public static string Scrub(string text, IEnumerable<string?> secrets)
    {
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s) && s.Length >= 4))
        {
            text = text.Replace(secret!, "***", StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>
    /// What of a webhook URL is secret: the URL, its path and query, and each long path segment or query value (a
    /// provider's answer may quote any of them).
    /// </summary>
    public static IReadOnlyList<string?> UrlSecrets(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return [url];
        }
        var parts = uri.AbsolutePath.Split('/').Concat(uri.Query.TrimStart('?').Split('&').Select(p => p[(p.IndexOf('=') + 1)..]))
            .Select(Uri.UnescapeDataString).Where(p => p.Length >= 12);
        return [url, uri.PathAndQuery, .. parts];
    }

    /// <summary>Retry-After as a delay: seconds or an HTTP date (relative to <paramref name="now"/>).</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
