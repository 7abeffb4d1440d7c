using ServerlessMonitor.Probing;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Tests.Status;

public class EndpointStateMachineTests
{
    private static readonly Thresholds Defaults = new(Failure: 3, Success: 2);
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Each row: a sequence of outcomes (U = up, D = down, G = degraded, M = down inside maintenance)
    /// fed from the initial state, the status after each step, and the effects of the last step.
    /// </summary>
    [Theory]
    [InlineData("U", "up", "")]
    [InlineData("D", "unknown", "")]
    [InlineData("DD", "unknown unknown", "")]
    [InlineData("DDD", "unknown unknown down", "open:down")]
    [InlineData("UDD", "up up up", "")]
    [InlineData("UDDD", "up up up down", "open:down")]
    [InlineData("UDDDD", "up up up down down", "update")]
    [InlineData("UDDDU", "up up up down down", "update")]
    [InlineData("UDDDUU", "up up up down down up", "resolve")]
    [InlineData("UDDDUDU", "up up up down down down down", "update")]
    [InlineData("UDUDUD", "up up up up up up", "")]
    [InlineData("UGG", "up up up", "")]
    [InlineData("UGGG", "up up up degraded", "open:degraded")]
    [InlineData("UGGGU", "up up up degraded degraded", "update")]
    [InlineData("UGGGUU", "up up up degraded degraded up", "resolve")]
    [InlineData("UGGGDDD", "up up up degraded degraded degraded down", "resolve open:down")]
    [InlineData("UDDDGG", "up up up down down degraded", "resolve open:degraded")]
    [InlineData("G", "degraded", "open:degraded")]
    [InlineData("UM", "up maintenance", "")]
    [InlineData("UDDDM", "up up up down maintenance", "resolve")]
    [InlineData("MMU", "maintenance maintenance up", "")]
    [InlineData("MD", "maintenance maintenance", "")]
    [InlineData("MDDD", "maintenance maintenance maintenance down", "open:down")]
    public void Transition_Sequence_FollowsThresholds(string outcomes, string expectedStatuses, string expectedLastEffects)
    {
        var state = EndpointState.Initial;
        var statuses = new List<string>();
        IReadOnlyList<StateEffect> effects = [];
        var now = T0;
        foreach (var c in outcomes)
        {
            var outcome = c switch { 'U' => ProbeOutcome.Up, 'G' => ProbeOutcome.Degraded, _ => ProbeOutcome.Down };
            (state, effects) = EndpointStateMachine.Transition(state, outcome, inMaintenance: c == 'M', Defaults, now);
            statuses.Add(state.Status.ToWire());
            now = now.AddMinutes(1);
        }

        Assert.Equal(expectedStatuses, string.Join(' ', statuses));
        Assert.Equal(expectedLastEffects, string.Join(' ', effects.Select(Describe)));
    }

    [Fact]
    public void Transition_StatusChange_SetsSinceToThatProbe()
    {
        var (up, _) = EndpointStateMachine.Transition(EndpointState.Initial, ProbeOutcome.Up, false, Defaults, T0);
        var (stillUp, _) = EndpointStateMachine.Transition(up, ProbeOutcome.Up, false, Defaults, T0.AddMinutes(1));

        Assert.Equal(T0, up.Since);
        Assert.Equal(T0, stillUp.Since);
        Assert.Equal(T0.AddMinutes(1), stillUp.LastCheck);
    }

    [Theory]
    [InlineData(1, 1, "UD", "up down")]
    [InlineData(1, 1, "UDU", "up down up")]
    [InlineData(5, 3, "UDDDD", "up up up up up")]
    [InlineData(5, 3, "UDDDDDUUU", "up up up up up down down down up")]
    public void Transition_CustomThresholds_AreHonoured(int failure, int success, string outcomes, string expected)
    {
        var state = EndpointState.Initial;
        var statuses = new List<string>();
        foreach (var c in outcomes)
        {
            (state, _) = EndpointStateMachine.Transition(state, c == 'U' ? ProbeOutcome.Up : ProbeOutcome.Down, false, new Thresholds(failure, success), T0);
            statuses.Add(state.Status.ToWire());
        }

        Assert.Equal(expected, string.Join(' ', statuses));
    }

    private static string Describe(StateEffect e) => e switch
    {
        StateEffect.OpenIncident o => "open:" + o.Kind.ToWire(),
        StateEffect.UpdateIncident => "update",
        StateEffect.ResolveIncident => "resolve",
        _ => "?",
    };
}
