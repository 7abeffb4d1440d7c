
namespace ServerlessMonitor.Incidents;

/// <summary>One incident as the history API shows it.</summary>
public sealed record IncidentDto(
    string Id,
    string Service,
    string Endpoint,
    string Kind,
    string LikelyCause,
    string Cause,
    string Evidence,
    DateTimeOffset Start,
    DateTimeOffset? End,
    bool Ongoing,
    double DurationSeconds,
    IReadOnlyList<string> Regions,
    int Checks,
    int FailedChecks,
    double FailedShare,
    string? FirstError,
    string? LastError,
    IReadOnlyList<IncidentNote> Notes)
{
    public static IncidentDto From(IncidentRecord i, DateTimeOffset now) => new(i.Id, i.Service, i.Endpoint, i.Kind.ToWire(), i.CauseLabel, i.Cause,
        i.Evidence, i.Start, i.End, i.End is null, Math.Round(i.DurationSeconds(now) ?? 0, 1), i.Regions, i.Checks, i.FailedChecks,
        Math.Round(i.FailedShare, 4), i.FirstError, i.LastError, IncidentNotes.Parse(i.Notes));
}

public sealed record IncidentListDto(string Service, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<IncidentDto> Incidents);
