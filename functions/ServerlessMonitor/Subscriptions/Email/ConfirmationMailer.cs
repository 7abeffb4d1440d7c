using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>
/// Sends the confirmation mails the form asked for, one at a time, in the background: counts the address's mails of
/// the day (<see cref="ConfirmationLimit"/>), builds the signed link and sends. Every request is treated alike whether
/// the address is new, pending or already subscribed (confirming again changes nothing). Logs never name the address.
/// </summary>
public sealed class ConfirmationMailer(ConfirmationQueue queue, EmailSubscriptionSetup setup, ConfirmationLimit limit, SubscriberMailer mailer,
    CatalogProvider catalog, IOptions<EmailSubscriptionOptions> options, TimeProvider time, ILogger<ConfirmationMailer> logger) : BackgroundService
{
    private long _handled;
    private readonly SemaphoreSlim _changed = new(0);

    /// <summary>Requests taken off the queue so far (sent, limited or failed): what tests and operators can wait on.</summary>
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
        await foreach (var request in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await HandleAsync(request, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One request's failure (a store outage) must not stop the mailer; the exception text never holds the address.
                logger.LogError("A confirmation mail was not sent: {Error}", e.GetType().Name);
            }
            finally
            {
                Interlocked.Increment(ref _handled);
                _changed.Release();
            }
        }
    }

    private async Task HandleAsync(PendingConfirmation request, CancellationToken ct)
    {
        if (setup.Current is not { } ready)
        {
            return;
        }
        var now = time.GetUtcNow();
        if (!await limit.TryTakeAsync(ready.Tokens.AddressKey(request.Address), now, ct))
        {
            logger.LogInformation("A confirmation mail was not sent: that address had its {Limit} for today", options.Value.ConfirmationsPerAddressPerDay);
            return;
        }
        var lifetime = options.Value.ConfirmationLifetime;
        var token = ready.Tokens.CreateConfirm(new ConfirmRequest(request.Service, request.Address, now + lifetime));
        var name = request.Service == "*" ? "*" : catalog.Current.FindService(request.Service)?.Name ?? request.Service;
        var message = EmailMessages.Confirmation(ready.Smtp.From, request.Address, name, ready.Links.Confirm(ready.Root, token), lifetime, now);
        var (outcome, reason) = await mailer.SendAsync(ready.Smtp, message, ct);
        if (outcome == MailOutcome.Sent)
        {
            logger.LogInformation("Confirmation mail sent for {Service}", request.Service);
        }
        else
        {
            logger.LogWarning("Confirmation mail for {Service} not sent: {Reason}", request.Service, reason);
        }
    }
}
