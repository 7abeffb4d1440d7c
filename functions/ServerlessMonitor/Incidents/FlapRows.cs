using System.Globalization;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Incidents;

/// <summary>The <see cref="FlapState"/> columns of the <c>state-global</c> row; the one place that names them.</summary>
internal static class FlapRows
{
    public static void Write(FlapState flap, Dictionary<string, object?> p)
    {
        // UTC ticks, comma-separated, oldest first: at most Changes + 1 of them.
        p["FlapChanges"] = string.Join(',', flap.Changes.Select(t => t.UtcTicks.ToString(CultureInfo.InvariantCulture)));
        p["FlappingSince"] = flap.Since;
        if (flap.Heard is { } h)
        {
            p["HeardStatus"] = h.Status.ToWire();
            p["HeardIncidentKey"] = h.IncidentKey;
            p["HeardIncidentKind"] = h.IncidentKind?.ToWire();
            p["HeardIncidentStart"] = h.IncidentStart;
            p["HeardIncidentEnd"] = h.IncidentEnd;
        }
    }

    public static FlapState Read(TableEntity e)
    {
        var changes = (e.GetString("FlapChanges") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? new DateTimeOffset(ticks, TimeSpan.Zero) : (DateTimeOffset?)null)
            .OfType<DateTimeOffset>()
            .ToList();
        var heard = e.GetString("HeardStatus") is { } status
            ? new HeardState(HealthStatusText.ParseWire(status), e.GetString("HeardIncidentKey"),
                e.GetString("HeardIncidentKind") is { } kind ? IncidentKinds.ParseWire(kind) : null,
                e.GetDate("HeardIncidentStart"), e.GetDate("HeardIncidentEnd"))
            : null;
        return new FlapState(changes, e.GetDate("FlappingSince"), heard);
    }
}
