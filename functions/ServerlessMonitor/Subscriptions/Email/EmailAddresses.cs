using MimeKit;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>What the form accepts as an address: one plain mailbox (no display name, no group), at most 254 characters.</summary>
public static class EmailAddresses
{
    public const int MaxLength = 254;

    /// <summary>Trimmed and lower-cased: the form of an address stored, hashed and mailed to.</summary>
    public static string Normalize(string address) => address.Trim().ToLowerInvariant();

    /// <summary>The normalised address, or null with a reason that does not repeat the input.</summary>
    public static string? Parse(string? input, out string? problem)
    {
        problem = null;
        var text = input?.Trim() ?? "";
        if (text.Length == 0)
        {
            problem = "is required";
            return null;
        }
        if (text.Length > MaxLength || text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>' or ',' or ';' or '"' or '(' or ')'))
        {
            problem = $"is not one mail address (at most {MaxLength} characters, like name@example.com)";
            return null;
        }
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1 || !text[(at + 1)..].Contains('.') || !MailboxAddress.TryParse(text, out var mailbox)
            || !string.Equals(mailbox.Address, text, StringComparison.Ordinal))
        {
            problem = "is not a mail address like name@example.com";
            return null;
        }
        return Normalize(text);
    }
}
