using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>An address that asked for a confirmation mail about a service ("*" = all).</summary>
public sealed record PendingConfirmation(string Service, string Address);

/// <summary>A pending confirmation this instance claimed: its row (with the claim's ETag) and what it asks for.</summary>
public sealed record ClaimedConfirmation(TableEntity Row, PendingConfirmation Request);

/// <summary>
/// The confirmation mails the form asked for, stored (<see cref="ConfirmationRows"/>) so that a stop before sending loses
/// none: <see cref="ConfirmationMailer"/> sweeps them when told of a new one, every Subscriptions:ConfirmationSweep and at
/// start. A row is claimed (its next attempt pushed past <see cref="ClaimDuration"/>, ETag-guarded) before it is sent, so
/// two instances never both send it; a crash after the claim only delays it. The form's answer is the same write
/// whatever the address, so neither the answer nor its timing tells one address from another.
/// </summary>
public sealed class ConfirmationQueue(ITableStore store, MonitorTables tables, TimeProvider time)
{
    /// <summary>Longer than one SMTP send can take (connect, TLS, login, send, each with its timeout).</summary>
    public static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(2);

    private readonly Channel<bool> _added = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public async Task EnqueueAsync(PendingConfirmation request, CancellationToken ct)
    {
        await store.ExecuteAsync(tables.SubscriberDeliveries, TableOperation.Insert(ConfirmationRows.New(request, time.GetUtcNow())), ct);
        _added.Writer.TryWrite(true);
    }

    /// <summary>Returns when a confirmation was added on this instance, or after <paramref name="atMost"/>.</summary>
    public async Task WaitForNewAsync(TimeSpan atMost, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(atMost);
        try
        {
            await _added.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The sweep interval passed.
        }
    }

    /// <summary>The due confirmations, oldest first, each claimed just before it is handed out.</summary>
    public async IAsyncEnumerable<ClaimedConfirmation> ClaimDueAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in store.QueryAllAsync(tables.SubscriberDeliveries, ConfirmationRows.Partition, RowKeyRange.All, ct: ct))
        {
            rows.Add(row);
        }
        foreach (var row in rows)
        {
            var now = time.GetUtcNow();
            if (ConfirmationRows.IsDue(row, now) && await TryUpdateAsync(ConfirmationRows.WithNextAttempt(row, now + ClaimDuration), ct) is { } claimed)
            {
                yield return new ClaimedConfirmation(claimed, ConfirmationRows.Read(claimed));
            }
        }
    }

    /// <summary>Sent or given up: the row and its address go.</summary>
    public async Task CompleteAsync(ClaimedConfirmation claimed, CancellationToken ct)
    {
        try
        {
            await store.ExecuteAsync(tables.SubscriberDeliveries, TableOperation.Delete(claimed.Row.PartitionKey, claimed.Row.RowKey), ct);
        }
        catch (TableStoreException e) when (e.Kind == TableErrorKind.NotFound)
        {
            // Already gone.
        }
    }

    public Task RetryLaterAsync(ClaimedConfirmation claimed, TimeSpan delay, CancellationToken ct) =>
        TryUpdateAsync(ConfirmationRows.WithNextAttempt(claimed.Row, time.GetUtcNow() + delay), ct);

    /// <summary>The row as written, or null when another instance changed or removed it first.</summary>
    private async Task<TableEntity?> TryUpdateAsync(TableEntity row, CancellationToken ct)
    {
        try
        {
            var etags = await store.SubmitBatchAsync(tables.SubscriberDeliveries, [TableOperation.Update(row)], ct);
            return row with { ETag = etags[0] };
        }
        catch (TableStoreException e) when (e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.NotFound or TableErrorKind.Conflict)
        {
            return null;
        }
    }
}
