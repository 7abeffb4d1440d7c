using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>
/// Sends the confirmation mails the form asked for, one at a time, in the background, from the stored queue
/// (<see cref="ConfirmationQueue"/>): at start, when a post arrives, and every Subscriptions:ConfirmationSweep. For each
/// it counts the address's mails of the day (<see cref="ConfirmationLimit"/>), builds the signed link and sends. A send
/// that fails is tried again after <see cref="RetryDelay"/> until the request is older than a link's lifetime. Every
/// request is treated alike whether the address is new, pending or already subscribed. Logs never name the address.
/// </summary>
public sealed class ConfirmationMailer(ConfirmationQueue queue, EmailSubscriptionSetup setup, ConfirmationLimit limit, SubscriberMailer mailer,
    CatalogProvider catalog, IOptions<EmailSubscriptionOptions> options, TimeProvider time, ILogger<ConfirmationMailer> logger) : BackgroundService
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    private long _handled;
    private readonly SemaphoreSlim _changed = new(0);

    /// <summary>Requests handled so far (sent, limited, failed or given up): what tests and operators can wait on.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    public async Task WaitForHandledAsync(long count, CancellationToken ct)
    {
        while (Handled < count)
        {
            await _changed.WaitAsync(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (TableStoreException e)
            {
                logger.LogWarning("Pending confirmation mails not read: {Reason}; tried again in {Delay}", e.Message, options.Value.ConfirmationSweep);
            }
            try
            {
                await queue.WaitForNewAsync(options.Value.ConfirmationSweep, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task SweepAsync(CancellationToken ct)
    {
        await foreach (var claimed in queue.ClaimDueAsync(ct))
        {
            try
            {
                if (await TryHandleAsync(claimed.Request, ct) || time.GetUtcNow() - ConfirmationRows.Created(claimed.Row) > options.Value.ConfirmationLifetime)
                {
                    await queue.CompleteAsync(claimed, ct);
                }
                else
                {
                    await queue.RetryLaterAsync(claimed, RetryDelay, ct);
                }
            }
            finally
            {
                Interlocked.Increment(ref _handled);
                _changed.Release();
            }
        }
    }

    /// <summary>True when the request is done with (sent, over its limit, email off); false to try it again later.</summary>
    private async Task<bool> TryHandleAsync(PendingConfirmation request, CancellationToken ct)
    {
        try
        {
            return await HandleAsync(request, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A store outage while counting: tried again; the exception text never holds the address.
            logger.LogError("A confirmation mail was not sent: {Error}; it is tried again", e.GetType().Name);
            return false;
        }
    }

    private async Task<bool> HandleAsync(PendingConfirmation request, CancellationToken ct)
    {
        if (setup.Current is not { } ready)
        {
            return true;
        }
        var now = time.GetUtcNow();
        if (!await limit.TryTakeAsync(ready.Tokens.AddressKey(request.Address), now, ct))
        {
            logger.LogInformation("A confirmation mail was not sent: that address had its {Limit} for today", options.Value.ConfirmationsPerAddressPerDay);
            return true;
        }
        var lifetime = options.Value.ConfirmationLifetime;
        var token = ready.Tokens.CreateConfirm(new ConfirmRequest(request.Service, request.Address, now + lifetime));
        var name = request.Service == "*" ? "*" : catalog.Current.FindService(request.Service)?.Name ?? request.Service;
        var message = EmailMessages.Confirmation(ready.Smtp.From, request.Address, name, ready.Links.Confirm(ready.Root, token), lifetime, now);
        var (outcome, reason) = await mailer.SendAsync(ready.Smtp, message, ct);
        if (outcome == MailOutcome.Sent)
        {
            logger.LogInformation("Confirmation mail sent for {Service}", request.Service);
            return true;
        }
        // A recipient refused for good is not asked again; anything else is.
        logger.LogWarning("Confirmation mail for {Service} not sent: {Reason}", request.Service, reason);
        return outcome == MailOutcome.RecipientRejected;
    }
}
