using System.Globalization;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>
/// Confirmation mails waiting to be sent, in one place: partition <c>confirmations</c> of the SubscriberDeliveries table,
/// one row per form post (<c>{created ticks}-{random}</c>, oldest first) with the service, the address (kept only until
/// the mail is sent or given up), when it was asked and when it may next be tried (a claim or a retry).
/// </summary>
internal static class ConfirmationRows
{
    public const string Partition = "confirmations";
    public const string ServiceProperty = "Service";
    public const string AddressProperty = "Address";
    public const string CreatedProperty = "Created";
    public const string NextAttemptAtProperty = "NextAttemptAt";

    public static TableEntity New(PendingConfirmation request, DateTimeOffset now) =>
        new(Partition, $"{now.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}", new Dictionary<string, object?>
        {
            [ServiceProperty] = request.Service,
            [AddressProperty] = request.Address,
            [CreatedProperty] = now,
            [NextAttemptAtProperty] = now,
        });

    public static PendingConfirmation Read(TableEntity row) =>
        new(row.GetString(ServiceProperty) ?? SubscriptionKinds.AllServices, row.GetString(AddressProperty) ?? "");

    public static DateTimeOffset Created(TableEntity row) => row.GetDate(CreatedProperty) ?? DateTimeOffset.MinValue;

    public static bool IsDue(TableEntity row, DateTimeOffset now) => (row.GetDate(NextAttemptAtProperty) ?? now) <= now;

    /// <summary>The same row, not to be tried before <paramref name="next"/>; written with the row's ETag.</summary>
    public static TableEntity WithNextAttempt(TableEntity row, DateTimeOffset next) =>
        row with { Properties = new Dictionary<string, object?>(row.Properties) { [NextAttemptAtProperty] = next } };
}
