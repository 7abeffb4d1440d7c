using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.SelfCheck;

/// <summary>The self-check settings of the "Monitor" section (docs/SELFCHECK.md).</summary>
public sealed class SelfCheckOptions : IValidatableObject
{
    public const string Section = "Monitor";

    /// <summary>
    /// URLs (<c>https://one.one.one.one/</c>) or <c>dns:</c> host names that any connected location reaches. Probed
    /// only when every probed service failed at network level; one reached means a shared outage, not an
    /// offline monitor. Blank entries are placeholders. None: the rule decides on the services alone.
    /// </summary>
    public List<string> ControlTargets { get; set; } = [];

    /// <summary>Distinct services a cycle must have probed before its failures can mean "offline"; 0 = self-check off.</summary>
    [Range(0, 1000)]
    public int SelfCheckMinServices { get; set; } = 3;

    /// <summary>How long a control target may take to answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan ControlTargetTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<ControlTarget> Targets =>
        ControlTargets.Where(t => !string.IsNullOrWhiteSpace(t)).Select((t, i) => ControlTarget.Parse(t, i, ControlTargetTimeout)!).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < ControlTargets.Count; i++)
        {
            var text = ControlTargets[i];
            if (!string.IsNullOrWhiteSpace(text) && ControlTarget.Parse(text, i, ControlTargetTimeout) is null)
            {
                yield return new ValidationResult(
                    $"Monitor:ControlTargets:{i}: '{text}' is neither an absolute http(s) URL nor dns:<host name>", [nameof(ControlTargets)]);
            }
        }
        // With one or two services, a shared outage of just those would read as "offline": only a control target can tell.
        if (SelfCheckMinServices is > 0 and < 3 && !ControlTargets.Any(t => !string.IsNullOrWhiteSpace(t)))
        {
            yield return new ValidationResult(
                "Monitor:SelfCheckMinServices below 3 needs at least one Monitor:ControlTargets entry", [nameof(SelfCheckMinServices)]);
        }
    }
}
