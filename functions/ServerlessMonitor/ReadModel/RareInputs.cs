using System.Collections.Concurrent;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.ReadModel;

/// <summary>
/// What a service's part of the snapshot shows that changes rarely - its incidents of the year, its user reports - read
/// once and kept until <see cref="ChangedServices"/> says such a thing changed (an incident moved by a probe here, an
/// admin change, a report through the API) or the time they were read for moves on (the day; the reports' 5-minute
/// window). Only inside a build. With Table Storage another instance may write them: it moves the shared
/// <see cref="RareMarker"/>, which each build reads first, so this instance reads them again too.
/// </summary>
internal sealed class RareInputs(IncidentReader incidents, ReportReader reports, ChangedServices changed)
{
    private readonly Kept<IReadOnlyList<IncidentRecord>> incidentDays = new();
    private readonly Kept<ReportSummary> summaries = new();
    private readonly Kept<int> reportCounts = new();

    private static bool Serves => SharedReads.Active;

    /// <summary>What <see cref="IncidentReader.ReadAsync"/> answers, for a window within the year before the day of <paramref name="to"/>.</summary>
    public async Task<IReadOnlyList<IncidentRecord>> IncidentsAsync(ServiceDefinition service, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var day = DaySeal.Start(DateOnly.FromDateTime(to.UtcDateTime));
        var (first, end) = (day.AddDays(-(DailyHistory.YearDays + 1)), day.AddDays(1).AddMinutes(1));
        if (!Serves || from < first || to > end)
        {
            return await incidents.ReadAsync(service, from, to, ct);
        }
        var year = await incidentDays.GetAsync(service, day.UtcTicks, changed.RareVersion, () => incidents.ReadAsync(service, first, end, CancellationToken.None), ct);
        return year.Where(i => i.Start >= from && i.Start < to).ToList();
    }

    /// <summary>What <see cref="ReportReader.SummaryAsync"/> answers; kept for the report window it is about.</summary>
    public Task<ReportSummary> ReportSummaryAsync(ServiceDefinition service, DateTimeOffset now, CancellationToken ct) => !Serves
        ? reports.SummaryAsync(service.Id, now, ct)
        : summaries.GetAsync(service, SurgeRule.WindowStart(now).UtcTicks, changed.RareVersion, () => reports.SummaryAsync(service.Id, now, CancellationToken.None), ct);

    /// <summary>What <see cref="ReportReader.CountAsync"/> answers for [<paramref name="from"/>, now); kept for the day of <paramref name="from"/>.</summary>
    public Task<int> ReportCountAsync(ServiceDefinition service, DateTimeOffset from, DateTimeOffset now, CancellationToken ct) => !Serves
        ? reports.CountAsync(service.Id, from, now, ct)
        : reportCounts.GetAsync(service, from.UtcTicks, changed.RareVersion, () => reports.CountAsync(service.Id, from, now, CancellationToken.None), ct);

    /// <summary>One kind of kept read per service: valid for one catalog entry, one stamp (the time it is for) and one version of the rare inputs.</summary>
    private sealed class Kept<T>
    {
        private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

        public async Task<T> GetAsync(ServiceDefinition service, long stamp, long version, Func<Task<T>> read, CancellationToken ct)
        {
            var entry = entries.AddOrUpdate(service.Id, _ => New(), (_, kept) => kept.Fits(service, stamp, version) ? kept : New());
            try
            {
                return await entry.Read.Value.WaitAsync(ct);
            }
            catch when (entry.Read.Value.IsFaulted || entry.Read.Value.IsCanceled)
            {
                entries.TryRemove(KeyValuePair.Create(service.Id, entry)); // the next build reads again
                throw;
            }

            Entry New() => new(service, stamp, version, new Lazy<Task<T>>(read));
        }

        private sealed record Entry(ServiceDefinition Service, long Stamp, long Version, Lazy<Task<T>> Read)
        {
            public bool Fits(ServiceDefinition service, long stamp, long version) =>
                ReferenceEquals(Service, service) && Stamp == stamp && Version == version;
        }
    }
}
