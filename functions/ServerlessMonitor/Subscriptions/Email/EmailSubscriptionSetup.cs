using Microsoft.Extensions.Options;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>Everything the email flow needs, present together: a signing key, an SMTP server and a public base URL.</summary>
public sealed record EmailReady(EmailTokens Tokens, SmtpSettings Smtp, EmailLinks Links, Uri Root);

/// <summary>
/// Whether email subscriptions are on: they are when <c>Subscriptions:SigningKey</c>, an SMTP server (the operators'
/// email channel or <c>Subscriptions:Smtp*</c>) and <c>Alerts:StatusPageUrl</c> are all set. Otherwise the form is not
/// shown and its route answers 503 — a half-configured flow would take addresses it cannot confirm.
/// </summary>
public sealed class EmailSubscriptionSetup(IOptions<EmailSubscriptionOptions> options, SubscriberSmtp smtp, EmailLinks links)
{
    private EmailTokens? _tokens;

    public EmailReady? Current =>
        options.Value.SigningKey is { Length: >= EmailSubscriptionOptions.MinSigningKeyLength } key && smtp.Settings is { } server && links.Base is { } root
            ? new EmailReady(_tokens ??= new EmailTokens(key), server, links, root)
            : null;

    /// <summary>What is missing, for the 503 answer and the docs; null when ready.</summary>
    public string? Missing =>
        options.Value.SigningKey is not { Length: >= EmailSubscriptionOptions.MinSigningKeyLength } ? "Subscriptions:SigningKey"
        : smtp.Settings is null ? "an SMTP server (an email channel in Notifications:Channels, or Subscriptions:SmtpHost and SmtpFrom)"
        : links.Base is null ? "Alerts:StatusPageUrl (https)"
        : null;
}
