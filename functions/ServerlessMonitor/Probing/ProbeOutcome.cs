namespace ServerlessMonitor.Probing;

/// <summary>What one judged probe says about the endpoint.</summary>
public enum ProbeOutcome
{
    Up,
    Degraded,
    Down,
}
