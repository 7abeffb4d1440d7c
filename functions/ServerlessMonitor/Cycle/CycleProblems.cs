using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// What went wrong in one in-process cycle, step by step: each failure is logged with its step and the cycle goes
/// on with the next step, so one broken shard or store call never leaves the rest unrecorded or unpublished.
/// </summary>
internal sealed class CycleProblems(ILogger logger, DateTimeOffset slot)
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> All
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>Runs one step; its failure (not the cycle's cancellation) is logged and gives the default result.</summary>
    public async Task<T?> TryAsync<T>(string step, Func<Task<T>> run, CancellationToken ct)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Add(step, e);
            return default;
        }
    }

    public void Add(string step, Exception e)
    {
        logger.LogError(e, "Probe cycle {Slot:O}, {Step}: {Reason}", slot, step, LogText.Escape(e.Message));
        Remember($"{step}: {e.Message}");
    }

    public void Add(string step, string problem)
    {
        logger.LogWarning("Probe cycle {Slot:O}, {Step}: {Problem}", slot, step, problem);
        Remember($"{step}: {problem}");
    }

    private void Remember(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
