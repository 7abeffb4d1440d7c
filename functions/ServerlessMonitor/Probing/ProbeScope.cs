using ServerlessMonitor.Conditions;
namespace ServerlessMonitor.Probing;

/// <summary>
/// The timeout and cancellation rules every prober shares: the endpoint's timeout bounds the whole
/// probe, and only the caller's own cancellation escapes as an exception.
/// </summary>
internal sealed class ProbeScope : IDisposable
{
    private readonly TimeProvider time;
    private readonly TimeSpan timeout;
    private readonly CancellationToken caller;
    private readonly CancellationTokenSource timeoutSource;
    private readonly CancellationTokenSource linked;

    public ProbeScope(TimeProvider time, TimeSpan timeout, CancellationToken caller)
    {
        caller.ThrowIfCancellationRequested();
        this.time = time;
        this.timeout = timeout;
        this.caller = caller;
        Started = time.GetTimestamp();
        timeoutSource = new CancellationTokenSource(timeout, time);
        linked = CancellationTokenSource.CreateLinkedTokenSource(caller, timeoutSource.Token);
    }

    public long Started { get; }

    /// <summary>Cancelled when the endpoint's timeout elapses or the caller cancels.</summary>
    public CancellationToken Token => linked.Token;

    public TimeSpan Elapsed => time.GetElapsedTime(Started);

    /// <summary>
    /// Turns a failure into an error kind and a message for people. Throws when the caller cancelled:
    /// an aborted probe run is not an observation of the target.
    /// </summary>
    public (ErrorKind Kind, string Message) Explain(Exception failure, string target)
    {
        if (caller.IsCancellationRequested)
        {
            throw new OperationCanceledException("The probe was cancelled.", failure, caller);
        }
        if (timeoutSource.IsCancellationRequested)
        {
            return (ErrorKind.Timeout, $"{target} did not answer within {Describe(timeout)}");
        }
        return ProbeErrors.Classify(failure, target);
    }

    public void Dispose()
    {
        linked.Dispose();
        timeoutSource.Dispose();
    }

    private static string Describe(TimeSpan span) =>
        span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.###} s" : $"{span.TotalMilliseconds:0} ms";
}
