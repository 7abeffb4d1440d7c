namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// The browser's PushSubscription as JSON, for the OpenAPI document only: <see cref="PushSubscriptionInput"/> reads it
/// field by field, so that a bad body gets a problem naming the field.
/// </summary>
public sealed record PushSubscriptionBody(string Endpoint, PushSubscriptionKeys Keys);

/// <summary>The subscription's keys: <c>p256dh</c>, the base64url P-256 public key (65 bytes), and <c>auth</c>, its 16-byte secret.</summary>
public sealed record PushSubscriptionKeys(string P256dh, string Auth);
