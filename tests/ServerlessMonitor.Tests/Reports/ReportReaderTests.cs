using Microsoft.Extensions.Options;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Reports;

public sealed class ReportReaderTests : CountedSqliteTest
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 1, 0, TimeSpan.Zero);

    private ReportReader NewReader(ITableStore? over = null) => new(over ?? Store, Tables, Options.Create(new ReportsOptions()));

    [Fact]
    public async Task Summary_ReadsThePreviousDaysOncePerWindow_AndTheCurrentBucketsEveryTime()
    {
        // The snapshot asks for every service's summary after each probe cycle; the usual level comes from the same
        // 15 minutes of the previous 7 days, which are sealed: each is read once (all its buckets) and kept, so a moving window reads none again.
        await ReportsHarness.WriteBucketAsync(Store, Tables, Noon.AddDays(-1), 14);
        await ReportsHarness.WriteBucketAsync(Store, Tables, Noon.AddDays(-3), 7);
        var reader = NewReader();

        var first = await reader.SummaryAsync("svc", Noon, CancellationToken.None);
        Assert.Equal(8, Store.Reads); // the current buckets and the same buckets on 7 previous days
        await ReportsHarness.WriteBucketAsync(Store, Tables, Noon, 5); // reports arrive in the current bucket
        var later = await reader.SummaryAsync("svc", Noon.AddMinutes(3), CancellationToken.None);
        Assert.Equal(9, Store.Reads); // the current buckets only
        var moved = await reader.SummaryAsync("svc", Noon.AddMinutes(5), CancellationToken.None);
        Assert.Equal(10, Store.Reads); // a new window: its current buckets; the previous days come from the sealed days' totals read once

        Assert.Equal((0, 3.0), (first.Reports, first.Usual)); // (14 + 7) / 7
        Assert.Equal((5, 3.0), (later.Reports, later.Usual));
        Assert.Equal((5, 3.0), (moved.Reports, moved.Usual)); // Noon's bucket is still one of the window's three
    }

    public static TheoryData<string> Times => new()
    {
        "2026-11-30T12:01:00Z", // yesterday sealed
        "2026-12-01T00:30:00Z", // first hour of a day: yesterday still read live
        "2026-12-01T01:00:00Z", // the moment yesterday is sealed
        "2026-12-01T23:59:59Z",
        "2026-12-02T00:00:00Z", // the window starts on a midnight
    };

    [Theory]
    [MemberData(nameof(Times))]
    public async Task AYearOfReports_FromKeptDays_CountsWhatReadingEveryBucketCounts(string at)
    {
        var now = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);
        await SeedAsync(now);
        var reader = NewReader();

        // Asked twice: the second answer is made of the days the first one kept.
        var first = await reader.CountAsync("svc", now.AddDays(-365), now, CancellationToken.None);
        var second = await reader.CountAsync("svc", now.AddDays(-365), now, CancellationToken.None);

        var direct = await DirectAsync(now.AddDays(-365), now);
        Assert.True(direct > 100, "the seeded year has reports to count");
        Assert.Equal(direct, first);
        Assert.Equal(direct, second);
    }

    [Fact]
    public async Task AYearOfReports_ReadsTheDaysThatAreOverOnce_ThenOnlyToday()
    {
        await SeedAsync(Noon);
        var reader = NewReader();

        await reader.CountAsync("svc", Noon.AddDays(-365), Noon, CancellationToken.None);
        Assert.Equal(3, Store.Reads); // the whole days that are over (one range), the buckets of the first day, today
        var rowsAfterFirst = Store.RowsRead;

        // Minutes later (the window's start moved on a bucket), with a report today: only today is read.
        await ReportsHarness.WriteBucketAsync(Store, Tables, Noon.AddMinutes(4), 6);
        var laterFrom = Noon.AddDays(-365).AddMinutes(4);
        var later = await reader.CountAsync("svc", laterFrom, Noon.AddMinutes(4), CancellationToken.None);
        Assert.Equal(4, Store.Reads);
        Assert.True(Store.RowsRead - rowsAfterFirst <= 3, $"read {Store.RowsRead - rowsAfterFirst} rows, not the year again");
        Assert.Equal(await DirectAsync(laterFrom, Noon.AddMinutes(4)), later);
        var within = laterFrom.AddHours(3).AddMinutes(1); // another start inside the same first day: from its kept buckets
        Assert.Equal(await DirectAsync(within, Noon.AddMinutes(4)), await reader.CountAsync("svc", within, Noon.AddMinutes(4), CancellationToken.None));

        // The next day, after the seal: the day that just ended and the window's new first day are read once, nothing else of the year.
        var tomorrow = Noon.AddDays(1);
        var reads = Store.Reads;
        var moved = await reader.CountAsync("svc", tomorrow.AddDays(-365), tomorrow, CancellationToken.None);
        Assert.Equal(3, Store.Reads - reads);
        Assert.Equal(await DirectAsync(tomorrow.AddDays(-365), tomorrow), moved);
    }

    [Fact]
    public async Task DayAfterDay_WithReportsArrivingLive_OneReaderKeepsCountingWhatEveryBucketSays()
    {
        var now = Noon;
        await SeedAsync(now);
        var reader = NewReader();
        for (var step = 0; step < 14; step++)
        {
            // Reports keep arriving in the current bucket between calls, across midnights and seals.
            await ReportsHarness.WriteBucketAsync(Store, Tables, now, 2 + step % 5);
            var reads = Store.Reads;
            var counted = await reader.CountAsync("svc", now.AddDays(-365), now, CancellationToken.None);
            Assert.True(Store.Reads - reads <= 3, $"at {now:O}: {Store.Reads - reads} reads");
            Assert.Equal(await DirectAsync(now.AddDays(-365), now), counted);
            now = now.AddHours(step % 2 == 0 ? 7 : 6.5).AddMinutes(step * 11);
        }
    }

    [Fact]
    public async Task AReport_TakenByAnInstanceWhoseClockIsBehind_InYesterdaysLastBucket_IsCountedUntilTheSeal()
    {
        var justAfterMidnight = new DateTimeOffset(2026, 12, 1, 0, 20, 0, TimeSpan.Zero);
        await SeedAsync(justAfterMidnight);
        var reader = NewReader();
        await reader.CountAsync("svc", justAfterMidnight.AddDays(-365), justAfterMidnight, CancellationToken.None);

        // Yesterday's last bucket still takes reports a few seconds after midnight; it is not kept before the seal.
        await ReportsHarness.WriteBucketAsync(Store, Tables, justAfterMidnight.AddMinutes(-21), 9);
        var later = justAfterMidnight.AddMinutes(10);
        var counted = await reader.CountAsync("svc", later.AddDays(-365), later, CancellationToken.None);

        Assert.Equal(await DirectAsync(later.AddDays(-365), later), counted);
    }

    [Fact]
    public async Task ARead_OfTheDaysThatAreOver_ThatFailed_IsNotKept()
    {
        await SeedAsync(Noon);
        var sealedDays = ReportRows.Buckets(new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        var reader = NewReader(new FailOnceStore(Store, range => range == sealedDays));

        await Assert.ThrowsAsync<TableStoreException>(() => reader.CountAsync("svc", Noon.AddDays(-365), Noon, CancellationToken.None));
        var counted = await reader.CountAsync("svc", Noon.AddDays(-365), Noon, CancellationToken.None);

        Assert.Equal(await DirectAsync(Noon.AddDays(-365), Noon), counted);
    }

    /// <summary>
    /// Reports over the year before <paramref name="now"/> and at its edges: the bucket the window starts in and the
    /// one before it, midnights, the last bucket of a day and the first hour after it, today.
    /// </summary>
    private async Task SeedAsync(DateTimeOffset now)
    {
        var from = now.AddDays(-365);
        var at = new List<DateTimeOffset> { from, from.AddMinutes(-5), from.AddHours(3), now, now.AddMinutes(-5) };
        for (var day = 1; day < 366; day += 3)
        {
            var midnight = ReportRows.Floor(from, TimeSpan.FromDays(1)).AddDays(day);
            at.AddRange([midnight, midnight.AddMinutes(-5), midnight.AddMinutes(35), midnight.AddHours(13)]);
        }
        var count = 0;
        foreach (var start in at.Where(t => t < now.AddMinutes(5)).Distinct())
        {
            await ReportsHarness.WriteBucketAsync(Store, Tables, start, 1 + count++ % 4);
        }
    }

    /// <summary>Every bucket of the window read and summed, as the count did before days were kept.</summary>
    private async Task<int> DirectAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var total = 0L;
        await foreach (var row in Sqlite.QueryAllAsync(Tables.Reports, "svc", ReportRows.Buckets(from, to), [ReportRows.TotalProperty]))
        {
            total += row.GetInt64(ReportRows.TotalProperty);
        }
        return (int)total;
    }
}
