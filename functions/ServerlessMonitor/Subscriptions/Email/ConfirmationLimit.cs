using System.Globalization;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>
/// At most <see cref="EmailSubscriptionOptions.ConfirmationsPerAddressPerDay"/> confirmation mails per address and UTC
/// day, counted in the Status table (partition <c>email-confirmations</c>, row <c>{yyyyMMdd}-{keyed hash}</c>) so every
/// instance shares the count. The row holds a count, never the address. Increments are ETag-guarded.
/// </summary>
public sealed class ConfirmationLimit(ITableStore store, MonitorTables tables, IOptions<EmailSubscriptionOptions> options)
{
    public const string Partition = "email-confirmations";
    private const string CountProperty = "Count";
    private const int MaxRaces = 8;

    public static string RowKey(DateTimeOffset now, string addressKey) =>
        $"{now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{addressKey}";

    /// <summary>Takes one of today's confirmations for the address; false when they are used up.</summary>
    public async Task<bool> TryTakeAsync(string addressKey, DateTimeOffset now, CancellationToken ct)
    {
        var key = RowKey(now, addressKey);
        for (var race = 1; ; race++)
        {
            var row = await store.GetAsync(tables.Status, Partition, key, ct);
            var count = row?.GetInt64(CountProperty) ?? 0;
            if (count >= options.Value.ConfirmationsPerAddressPerDay)
            {
                return false;
            }
            var next = new TableEntity(Partition, key, new Dictionary<string, object?> { [CountProperty] = count + 1 }) { ETag = row?.ETag };
            try
            {
                await store.ExecuteAsync(tables.Status, row is null ? TableOperation.Insert(next) : TableOperation.Update(next), ct);
                return true;
            }
            catch (TableStoreException e) when (e.Kind is TableErrorKind.Conflict or TableErrorKind.PreconditionFailed && race < MaxRaces)
            {
                // Another instance counted the same address meanwhile: count again on its row.
            }
        }
    }
}
