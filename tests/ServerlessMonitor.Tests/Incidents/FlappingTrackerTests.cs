using System.Text.RegularExpressions;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Status;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>
/// The incident tracker over sequences of global statuses, one a minute: which alerts each step raises
/// once flapping is on (more than 4 changes in 30 min, stable after 15 min, unless a row says otherwise).
/// </summary>
public class FlappingTrackerTests
{
    private static readonly FlapSettings Defaults = new(4, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(15));

    /// <summary>
    /// Statuses: U up, D down, P partial (down in some regions), G degraded, M maintenance; a letter followed by
    /// a number repeats it (D15). Expected: "step:alerts" for every step that raised any, alerts being
    /// D(own), G (degraded), R(ecovered), F(lapping), S (still down) in the order raised.
    /// </summary>
    [Theory]
    [InlineData("UDUDU", "1:D 2:R 3:D 4:R")] // 4 changes: not yet
    [InlineData("UDUDUD", "1:D 2:R 3:D 4:R 5:F")] // the 5th change within 30 min flaps, instead of its Down
    [InlineData("UDUDUDUDUDUDUD", "1:D 2:R 3:D 4:R 5:F")] // one Flapping per episode, no Down/Recovered while it lasts
    [InlineData("UDUDUDD14", "1:D 2:R 3:D 4:R 5:F")] // 14 min stable is not yet settled
    [InlineData("UDUDUDD15", "1:D 2:R 3:D 4:R 5:F 20:D")] // settled down; they last heard up: one Down
    [InlineData("UDUDUDUU20", "1:D 2:R 3:D 4:R 5:F")] // settled up, as they last heard: nothing to say
    [InlineData("DUDUDUU20", "0:D 1:R 2:D 3:R 4:D 5:F 20:R")] // they heard Down last, it settled up: Recovered
    [InlineData("DUDUDUDD20", "0:D 1:R 2:D 3:R 4:D 5:F 21:RD")] // their incident ended, another is open: both, paired by id
    [InlineData("UDUDUDUDUDUDD15", "1:D 2:R 3:D 4:R 5:F 26:D")] // each change restarts the stable period
    [InlineData("UDUDUDD15UDUDU", "1:D 2:R 3:D 4:R 5:F 20:D 21:R 22:D 23:R 24:D 25:F")] // settling clears the count
    [InlineData("UD7U7D7U7D7", "1:D 8:R 15:D 22:R 29:F")] // 5 changes within 28 min
    [InlineData("UD8U8D8U8D8", "1:D 9:R 17:D 25:R 33:D")] // 5 changes spread over 32 min: never 5 within 30
    [InlineData("UGUGUG", "1:G 2:R 3:G 4:R 5:F")] // degraded counts like down
    [InlineData("UPUPUP", "1:D 2:R 3:D 4:R 5:F")] // down in some regions is an outage too
    [InlineData("UPDPDPDPD", "1:D")] // partial <-> down is one outage, not a change
    [InlineData("UMUMUMUMUM", "")] // planned maintenance neither alerts nor counts
    public void Advance_StatusSequence_RaisesTheseAlerts(string statuses, string expected)
    {
        Assert.Equal(expected, Run(Expand(statuses), Defaults, reminders: null));
    }

    [Fact]
    public void Advance_FlappingOff_EveryChangeAlerts()
    {
        Assert.Equal("1:D 2:R 3:D 4:R 5:D 6:R 7:D", Run(Expand("UDUDUDUD"), FlapSettings.Off, reminders: null));
    }

    [Fact]
    public void Advance_RemindersOn_NoneWhileFlapping_NextOneCountsFromTheSettlingDown()
    {
        Assert.Equal("1:D 2:R 3:D 4:R 5:F 20:D 25:S", Run(Expand("UDUDUDD15D5"), Defaults, reminders: TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Advance_RemindersHeldWhileFlapping_NumbersCountOnlyTheRemindersSent()
    {
        var state = GlobalState.Initial;
        var sent = new List<AlertEvent>();
        var statuses = Expand("UDUDUDD15D5");
        for (var i = 0; i < statuses.Count; i++)
        {
            var result = Step(state, statuses[i], i, Defaults, TimeSpan.FromMinutes(5));
            state = result.State;
            sent.AddRange(result.Alerts.Where(a => a.Type == AlertTypes.EndpointReminder));
        }

        // One reminder went out (minute 25); the ones due while flapping were never sent, so they are not counted.
        Assert.Single(sent);
        Assert.Equal(1, state.Incident!.Reminders);
    }

    [Fact]
    public void Advance_SettledUp_RecoveredCarriesTheEndOfTheIncidentTheyHeardOf()
    {
        var alerts = Alerts(Expand("DUDUDUU20"), Defaults, null);

        var down = alerts.Last(a => a.Type == AlertTypes.EndpointDown);
        var recovered = alerts.Last();
        Assert.Equal(AlertTypes.EndpointRecovered, recovered.Type);
        Assert.Equal(down.Data.IncidentId, recovered.Data.IncidentId);
        Assert.Equal(ManualClock.Epoch.AddMinutes(4), recovered.Data.Start);
        Assert.Equal(ManualClock.Epoch.AddMinutes(5), recovered.Data.End);
        Assert.Equal(60, recovered.Data.DurationSeconds);
        Assert.Equal(ManualClock.Epoch.AddMinutes(20), recovered.Time);
        Assert.Equal(("up", "down"), (recovered.Data.Status, recovered.Data.PreviousStatus));
    }

    [Fact]
    public void Advance_Entering_FlappingEventNamesTheEpisode()
    {
        var alerts = Alerts(Expand("UDUDUDUD"), Defaults, null);

        var flapping = Assert.Single(alerts, a => a.Type == AlertTypes.EndpointFlapping);
        Assert.Equal("services/svc/endpoints/web", flapping.Subject);
        Assert.Equal(("down", "up"), (flapping.Data.Status, flapping.Data.PreviousStatus));
        Assert.Equal(ManualClock.Epoch.AddMinutes(5), flapping.Data.Start);
        Assert.Equal("5 status changes within 30 min", flapping.Data.Evidence);
        Assert.NotNull(flapping.Data.IncidentId);
    }

    [Fact]
    public void Advance_SettledDown_DownIsForTheOpenIncidentAndItsRecoveredPairsWithIt()
    {
        var alerts = Alerts(Expand("UDUDUDD15U"), Defaults, null);

        var (settled, recovered) = (alerts[^2], alerts[^1]);
        Assert.Equal((AlertTypes.EndpointDown, AlertTypes.EndpointRecovered), (settled.Type, recovered.Type));
        Assert.Equal(settled.Data.IncidentId, recovered.Data.IncidentId);
        Assert.Equal(ManualClock.Epoch.AddMinutes(5), settled.Data.Start);
        Assert.Equal("up", settled.Data.PreviousStatus);
    }

    [Fact]
    public void Advance_RecomputedStep_SameAlertIds()
    {
        // A retried or raced write recomputes the step from the same state: the ids must not change.
        var first = Alerts(Expand("UDUDUDD15"), Defaults, null).Select(a => a.Id);
        var second = Alerts(Expand("UDUDUDD15"), Defaults, null).Select(a => a.Id);

        Assert.Equal(first, second);
    }

    [Fact]
    public void GlobalState_Flapping_SurvivesTheRow()
    {
        var state = GlobalState.Initial;
        foreach (var (status, i) in Expand("DUDUDUD").Select((s, i) => (s, i)))
        {
            state = Step(state, status, i, Defaults, null).State;
        }

        var read = GlobalState.FromEntity(state.ToEntity("svc.web", null));

        Assert.True(state.Flap.Flapping);
        Assert.Equal(state.Flap.Since, read.Flap.Since);
        Assert.Equal(state.Flap.Changes, read.Flap.Changes);
        Assert.Equal(state.Flap.Heard, read.Flap.Heard);
        Assert.NotNull(read.Flap.Heard?.IncidentEnd);
    }

    private static string Run(IReadOnlyList<HealthStatus> statuses, FlapSettings settings, TimeSpan? reminders)
    {
        var state = GlobalState.Initial;
        var steps = new List<string>();
        for (var i = 0; i < statuses.Count; i++)
        {
            var result = Step(state, statuses[i], i, settings, reminders);
            state = result.State;
            if (result.Alerts.Count > 0)
            {
                steps.Add($"{i}:{string.Concat(result.Alerts.Select(a => Code(a.Type)))}");
            }
        }
        return string.Join(' ', steps);
    }

    private static List<AlertEvent> Alerts(IReadOnlyList<HealthStatus> statuses, FlapSettings settings, TimeSpan? reminders)
    {
        var state = GlobalState.Initial;
        var alerts = new List<AlertEvent>();
        for (var i = 0; i < statuses.Count; i++)
        {
            var result = Step(state, statuses[i], i, settings, reminders);
            state = result.State;
            alerts.AddRange(result.Alerts);
        }
        return alerts;
    }

    private static TrackerResult Step(GlobalState state, HealthStatus status, int minute, FlapSettings settings, TimeSpan? reminders)
    {
        var now = ManualClock.Epoch.AddMinutes(minute);
        var failed = status is HealthStatus.Down or HealthStatus.Partial;
        var observation = new Observation(failed ? ProbeOutcome.Down : status == HealthStatus.Degraded ? ProbeOutcome.Degraded : ProbeOutcome.Up,
            new ProbeResponse { Connected = true, StatusCode = failed ? 500 : 200 }, [], failed ? "HTTP 500" : null,
            failed ? ErrorKind.HttpStatus : null, now, 1);
        var view = new GlobalView(status, failed ? ["eu"] : [], status == HealthStatus.Partial ? ["eu", "us"] : ["eu"]);
        var cause = new CauseFinding("server-error", "server errors (5xx)", "HTTP 500");
        var endpoint = new EndpointDefinition { Id = "web", Kind = EndpointKind.Http, Url = new Uri("https://svc.example/") };
        var ctx = new TrackerContext("svc.web", new ServiceDefinition("svc", "Svc", "test", [endpoint]), endpoint, "test", reminders,
            TimeSpan.FromDays(14), null, settings);
        return IncidentTracker.Advance(state, view, observation, cause, ctx);
    }

    private static char Code(string type) => type switch
    {
        AlertTypes.EndpointDown => 'D',
        AlertTypes.EndpointDegraded => 'G',
        AlertTypes.EndpointRecovered => 'R',
        AlertTypes.EndpointFlapping => 'F',
        AlertTypes.EndpointReminder => 'S',
        _ => '?',
    };

    private static List<HealthStatus> Expand(string statuses) => Regex.Matches(statuses, "([UDPGM])([0-9]*)")
        .SelectMany(m => Enumerable.Repeat(m.Groups[1].Value switch
        {
            "U" => HealthStatus.Up,
            "D" => HealthStatus.Down,
            "P" => HealthStatus.Partial,
            "G" => HealthStatus.Degraded,
            _ => HealthStatus.Maintenance,
        }, m.Groups[2].Length == 0 ? 1 : int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
        .ToList();
}
