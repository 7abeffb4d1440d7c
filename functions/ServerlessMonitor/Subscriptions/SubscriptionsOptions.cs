using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Subscriptions;

/// <summary>The "Subscriptions" configuration section: public subscriptions and their delivery (docs/SUBSCRIPTIONS.md).</summary>
public sealed class SubscriptionsOptions
{
    public const string Section = "Subscriptions";

    /// <summary>Deliveries in flight at once while fanning one event out.</summary>
    [Range(1, 1024)]
    public int Parallelism { get; set; } = 64;

    /// <summary>Attempts per event and subscriber before that delivery is given up.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Failed deliveries in a row after which a subscription is disabled (kept, never sent to again).</summary>
    [Range(1, 1000)]
    public int MaxFailures { get; set; } = 5;

    /// <summary>First retry delay of one subscriber's delivery; doubles per attempt up to <see cref="BackoffMax"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a finished fan-out's done marker is kept (it stops a re-dispatch of its outbox row from sending again;
    /// the outbox keeps a delivered row for Alerts:KeepDelivered, far less). Then <see cref="DeliveryPurge"/> removes it.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "400.00:00:00")]
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Subscribe and unsubscribe POSTs one client address may make per <see cref="Window"/>; more are answered 429.</summary>
    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The VAPID public key (base64url, 65 bytes). With the private key: web push is on. Standalone makes a pair when neither is set.</summary>
    public string? VapidPublicKey { get; set; }

    /// <summary>The VAPID private key (base64url, 32 bytes): a secret, from settings only, never logged.</summary>
    public string? VapidPrivateKey { get; set; }

    /// <summary>Who push services may contact about our pushes (RFC 8292 <c>sub</c>): a <c>mailto:</c> or <c>https:</c> URL.</summary>
    public string VapidSubject { get; set; } = "mailto:monitor@localhost";

    /// <summary>Where the standalone host keeps the key pair it made, relative to the SQLite file's folder.</summary>
    public string VapidKeyFile { get; set; } = "vapid-keys.json";

    /// <summary>How long a push service keeps a message for an offline browser (the <c>TTL</c> header).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "28.00:00:00")]
    public TimeSpan PushTimeToLive { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Tests only: subscription endpoints (push services, webhooks) on loopback over http. Off by default, and refused at
    /// start-up on Azure (WEBSITE_INSTANCE_ID set).
    /// </summary>
    public bool AllowLoopback { get; set; }

    public bool PushEnabled => !string.IsNullOrEmpty(VapidPublicKey) && !string.IsNullOrEmpty(VapidPrivateKey);

    public TimeSpan Backoff(int attempts)
    {
        var ticks = Math.Min(BackoffMax.Ticks, BackoffBase.Ticks * Math.Pow(2, Math.Min(attempts - 1, 30)));
        return TimeSpan.FromTicks((long)ticks);
    }
}
