namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>
/// The JSON bodies of the email routes, for the OpenAPI document only: <see cref="EmailInput"/> reads them (or the
/// same fields as a form) field by field, so that a bad body gets a problem naming the field.
/// </summary>
public sealed record EmailSubscribeBody(string Email, string Service = SubscriptionKinds.AllServices);

/// <summary>The token of the confirmation link.</summary>
public sealed record EmailConfirmBody(string Token);
