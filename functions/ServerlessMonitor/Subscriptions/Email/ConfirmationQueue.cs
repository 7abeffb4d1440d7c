using System.Threading.Channels;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>An address that asked for a confirmation mail about a service ("*" = all).</summary>
public sealed record PendingConfirmation(string Service, string Address);

/// <summary>
/// Hands form posts to <see cref="ConfirmationMailer"/>. The form's answer is given before anything about the address
/// is looked at (its limit, whether it is subscribed), so the answer and its timing cannot tell one address from another.
/// Bounded: when full, a request is dropped (the answer stays the same; the mailer is behind, and one post more changes nothing).
/// </summary>
public sealed class ConfirmationQueue
{
    public const int Capacity = 1000;

    private readonly Channel<PendingConfirmation> _channel =
        Channel.CreateBounded<PendingConfirmation>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public bool TryEnqueue(PendingConfirmation request) => _channel.Writer.TryWrite(request);

    public ChannelReader<PendingConfirmation> Reader => _channel.Reader;
}
