using Microsoft.Extensions.Options;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Reports;

public sealed class ReportReaderTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 1, 0, TimeSpan.Zero);

    [Fact]
    public async Task Summary_ReadsThePreviousDaysOncePerWindow_AndTheCurrentBucketsEveryTime()
    {
        // The snapshot asks for every service's summary after each probe cycle; the usual level comes from the same
        // 15 minutes of the previous 7 days, which are over, so it is read again only when the window moves.
        using var dir = new TempDirectory();
        var (sqlite, store, tables) = await CountingTableStore.OverNewSqliteAsync(dir);
        await using var disposeStore = sqlite;
        await ReportsHarness.WriteBucketAsync(store, tables, Noon.AddDays(-1), 14);
        await ReportsHarness.WriteBucketAsync(store, tables, Noon.AddDays(-3), 7);
        var reader = new ReportReader(store, tables, Options.Create(new ReportsOptions()));

        var first = await reader.SummaryAsync("svc", Noon, CancellationToken.None);
        Assert.Equal(8, store.Reads); // the current buckets and the same buckets on 7 previous days
        await ReportsHarness.WriteBucketAsync(store, tables, Noon, 5); // reports arrive in the current bucket
        var later = await reader.SummaryAsync("svc", Noon.AddMinutes(3), CancellationToken.None);
        Assert.Equal(9, store.Reads); // the current buckets only
        var moved = await reader.SummaryAsync("svc", Noon.AddMinutes(5), CancellationToken.None);
        Assert.Equal(17, store.Reads); // a new window: its previous days too

        Assert.Equal((0, 3.0), (first.Reports, first.Usual)); // (14 + 7) / 7
        Assert.Equal((5, 3.0), (later.Reports, later.Usual));
        Assert.Equal((5, 3.0), (moved.Reports, moved.Usual)); // Noon's bucket is still one of the window's three
    }
}
