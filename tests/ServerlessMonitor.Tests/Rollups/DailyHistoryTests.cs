using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Rollups;

public sealed class DailyHistoryTests : CountedSqliteTest
{
    private const string Partition = "svc.web";
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 30, 0, TimeSpan.Zero);
    private RollupReader _rollups = null!;
    private DailyHistory _history = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _rollups = new RollupReader(Store, Tables);
        _history = new DailyHistory(_rollups, RecentOver(_rollups));
    }

    public static TheoryData<string> Times => new()
    {
        "2026-11-30T12:30:00Z", // yesterday sealed
        "2026-12-01T00:30:00Z", // first hour of a day: yesterday still read live
        "2026-12-01T01:00:00Z", // the moment yesterday is sealed
        "2026-12-01T23:59:59Z",
    };

    [Theory]
    [MemberData(nameof(Times))]
    public async Task KeptAndLiveDays_GiveTheSameFiguresAsReadingEveryRow(string at)
    {
        await SeedYearAsync(Store, Tables, new DateOnly(2026, 12, 1), days: 420);
        var now = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        // Twice: the first call reads and keeps the days that are over, the second answers from what it kept.
        for (var pass = 0; pass < 2; pass++)
        {
            var days = await _history.ReadAsync(Partition, now, CancellationToken.None);
            foreach (var n in new[] { 1, 7, 30, 90 })
            {
                var expected = await DirectAsync(_rollups, today, n);
                Assert.Equal(Counts(RollupTotals.Sum(expected.Select(d => d.Totals))), Counts(days.Counts(n)));
            }
            var bars = days.Bars(90);
            var direct90 = await DirectAsync(_rollups, today, 90);
            Assert.Equal(direct90.Select(d => d.Day), bars.Keys.Order());
            Assert.All(direct90, d => Assert.Equal(Counts(d.Totals), Counts(bars[d.Day])));

            var year = days.Year();
            var directYear = RollupTotals.Sum((await DirectAsync(_rollups, today, 365)).Select(d => d.Totals));
            Assert.Equal(Counts(directYear), (year.Up, year.Degraded, year.Down, year.Maintenance));
            Assert.Equal(directYear.Histogram, year.Histogram);
            Assert.Equal(directYear.LatencySumMs, year.LatencySumMs);
        }
    }

    [Fact]
    public async Task DaysThatAreOver_AreReadOncePerDay_TodayOnEveryCall_OnceInASnapshotScope()
    {
        await SeedYearAsync(Store, Tables, new DateOnly(2026, 11, 30), days: 400);

        var first = await _history.ReadAsync(Partition, Noon, CancellationToken.None);
        Assert.Equal(2, Store.Reads); // the year so far, then today
        var checksBefore = first.Year().Checks;

        // A probe of today lands: the next call sees it. The days that are over are not read again.
        await Store.SubmitBatchAsync(Tables.Endpoints, [TableOperation.UpsertMerge(Row(new DateOnly(2026, 11, 30), "ap", up: 10, down: 0))]);
        var later = await _history.ReadAsync(Partition, Noon.AddMinutes(1), CancellationToken.None);
        Assert.Equal(3, Store.Reads);
        Assert.Equal(checksBefore + 10, later.Year().Checks);

        // Inside a snapshot build every handler shares one read of today.
        using (SharedReads.Begin())
        {
            await _history.ReadAsync(Partition, Noon.AddMinutes(2), CancellationToken.None);
            await _history.ReadAsync(Partition, Noon.AddMinutes(2).AddSeconds(3), CancellationToken.None);
        }
        Assert.Equal(4, Store.Reads);

        // A row written to a day that is over is not read again (the kept year stands), also when the kept part moves on.
        await Store.SubmitBatchAsync(Tables.Endpoints, [TableOperation.UpsertMerge(Row(new DateOnly(2026, 11, 20), "ap", up: 0, down: 5))]);
        var stillKept = await _history.ReadAsync(Partition, Noon.AddHours(11), CancellationToken.None);
        Assert.Equal(checksBefore + 10, stillKept.Year().Checks);
        var nextDay = await _history.ReadAsync(Partition, new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero), CancellationToken.None);
        Assert.Equal(first.Bars(90)[new DateOnly(2026, 11, 20)], nextDay.Bars(90)[new DateOnly(2026, 11, 20)]);
    }

    [Fact]
    public async Task DayAfterDay_TheKeptPartMovesOnByReadingOneDay_AndStillMatchesEveryRow()
    {
        // A year of _history, then four days of a running monitor: each call compares with reading every row, and
        // each move (midnight: a day leaves the year; 01:00: yesterday is sealed) reads one day, not the year.
        var start = new DateOnly(2026, 11, 30);
        await SeedYearAsync(Store, Tables, start, days: 400);
        await _history.ReadAsync(Partition, Noon, CancellationToken.None);

        for (var d = 1; d <= 4; d++)
        {
            var day = start.AddDays(d);
            foreach (var (hour, minute) in new[] { (0, 20), (1, 0), (12, 0), (23, 59) })
            {
                var now = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.Zero);
                // Probes keep landing in today's rows (and in yesterday's until it is sealed).
                await Store.SubmitBatchAsync(Tables.Endpoints, [TableOperation.UpsertReplace(Row(day, "eu", up: 10 * hour + minute, down: hour % 3))]);
                var rowsBefore = Store.RowsRead;

                var days = await _history.ReadAsync(Partition, now, CancellationToken.None);

                Assert.True(Store.RowsRead - rowsBefore <= 6, $"{now:u}: read {Store.RowsRead - rowsBefore} rows");
                var year = await DirectAsync(_rollups, day, 365);
                Assert.Equal(Counts(RollupTotals.Sum(year.Select(r => r.Totals))), Counts(days.Year()));
                Assert.Equal(RollupTotals.Sum(year.Select(r => r.Totals)).Histogram, days.Year().Histogram);
                foreach (var n in new[] { 7, 30, 90 })
                {
                    Assert.Equal(Counts(RollupTotals.Sum((await DirectAsync(_rollups, day, n)).Select(r => r.Totals))), Counts(days.Counts(n)));
                }
                Assert.Equal((await DirectAsync(_rollups, day, 90)).Select(r => r.Day), days.Bars(90).Keys.Order());
            }
        }
    }

    [Fact]
    public async Task ACallerSecondsBehind_ACrossTheSeal_DoesNotMoveTheKeptPartBack()
    {
        // Handlers of one build read the clock seconds apart; around 01:00 one of them is still on the day before the
        // seal. It answers from its own read, and the others keep what was kept for the later time.
        await SeedYearAsync(Store, Tables, new DateOnly(2026, 12, 1), days: 400);
        var sealedAt = new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);

        await _history.ReadAsync(Partition, sealedAt.AddSeconds(1), CancellationToken.None);
        var behind = await _history.ReadAsync(Partition, sealedAt.AddSeconds(-1), CancellationToken.None);
        var readsBefore = Store.Reads;
        await _history.ReadAsync(Partition, sealedAt.AddSeconds(2), CancellationToken.None);

        Assert.Equal(1, Store.Reads - readsBefore); // today's rows only
        var direct = RollupTotals.Sum((await DirectAsync(_rollups, new DateOnly(2026, 12, 1), 365)).Select(d => d.Totals));
        Assert.Equal(Counts(direct), Counts(behind.Year()));
    }

    [Fact]
    public async Task ARead_ThatFailed_IsNotKept()
    {
        await SeedYearAsync(Store, Tables, new DateOnly(2026, 11, 30), days: 30);
        var failing = new RollupReader(new FailOnceStore(Sqlite), Tables);
        var unreliable = new DailyHistory(failing, RecentOver(failing));

        await Assert.ThrowsAsync<TableStoreException>(() => unreliable.ReadAsync(Partition, Noon, CancellationToken.None));
        var days = await unreliable.ReadAsync(Partition, Noon, CancellationToken.None);

        Assert.Equal(28, days.Bars(90).Count); // 30 days, two without rows
    }

    /// <summary>Daily rows in two regions for <paramref name="days"/> days up to <paramref name="last"/>; every 13th day has none.</summary>
    private static async Task SeedYearAsync(ITableStore target, MonitorTables names, DateOnly last, int days)
    {
        var rows = new List<TableOperation>();
        for (var i = 0; i < days; i++)
        {
            if (i % 13 == 6)
            {
                continue;
            }
            var day = last.AddDays(-i);
            rows.Add(TableOperation.Insert(Row(day, "eu", up: 100 + i % 7, down: i % 5, degraded: i % 3, maintenance: i % 11 == 0 ? 4 : 0)));
            rows.Add(TableOperation.Insert(Row(day, "us", up: 50 + i % 4, down: i % 2)));
        }
        foreach (var batch in rows.Chunk(100))
        {
            await target.SubmitBatchAsync(names.Endpoints, batch);
        }
    }

    private static TableEntity Row(DateOnly day, string region, int up, int down, int degraded = 0, int maintenance = 0)
    {
        var histogram = new long[RollupTotals.BucketBounds.Length + 1];
        histogram[(up + down) % histogram.Length] = up + degraded;
        histogram[0] += down;
        var totals = new RollupTotals(up, degraded, down, maintenance, LatencySumMs: 120.5 * (up + degraded) + down, histogram);
        return new TableEntity(Partition, RollupKeys.Daily(day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc), region), totals.ToProperties());
    }

    private static async Task<IReadOnlyList<DailyRollup>> DirectAsync(RollupReader reader, DateOnly today, int days) =>
        await reader.DailyAsync(Partition, today.AddDays(1 - days), today.AddDays(1), CancellationToken.None);

    private static (long, long, long, long) Counts(RollupTotals t) => (t.Up, t.Degraded, t.Down, t.Maintenance);

    private static (long, long, long, long) Counts(DayCounts c) => (c.Up, c.Degraded, c.Down, c.Maintenance);

    /// <summary>The recent rollups over the same reader, with nothing recorded here: every read goes to the store.</summary>
    private RecentRollups RecentOver(RollupReader reader) => new(reader, new LiveRollups(), new StatusBoard(Store, Tables), Options.Create(new MonitorOptions()));
}
