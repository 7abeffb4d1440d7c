using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// The embedded store alone, with the batch a healthy probe writes (a result row, the hourly and daily rollups and
/// the state row, ETag-guarded, rows of the sizes the engine writes), submitted 64 at a time like the engine's
/// writes, and no probing at all: the floor of what recording a probe costs on SQLite, in wall time and in CPU.
/// Beside <c>bare_cpu_us_per_probe</c> of a probe_cycle line it bounds the ratio any engine can reach with this
/// store on this machine: bare / (bare + store), when both are CPU-bound.
/// </summary>
internal static class StoreFloor
{
    private const string Table = "floor";
    private const int InFlight = 64;

    public static async Task RunAsync(IConfiguration options)
    {
        var endpoints = int.Parse(options["endpoints"] ?? "1000", CultureInfo.InvariantCulture);
        var cycles = int.Parse(options["cycles"] ?? Math.Clamp(30_000 / endpoints, 3, 50).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var work = Directory.CreateTempSubdirectory("sm-floor");
        try
        {
            await using var store = new SqliteTableStore(Path.Combine(work.FullName, "floor.db"));
            await store.CreateTableIfNotExistsAsync(Table);
            var etags = new Dictionary<string, string?[]>();
            var start = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
            // Warm-up: the first cycle inserts every row, the next ones reach the steady state (updates and appends).
            for (var c = 0; c < 5; c++)
            {
                await CycleAsync(store, endpoints, start.AddMinutes(c), etags);
            }
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var c = 0; c < cycles; c++)
            {
                await CycleAsync(store, endpoints, start.AddMinutes(5 + c), etags);
            }
            wall.Stop();
            var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
            var batches = (double)endpoints * cycles;
            Console.WriteLine(FormattableString.Invariant(
                $"BENCH store_floor backend=sqlite endpoints={endpoints} batches_per_s={batches / wall.Elapsed.TotalSeconds:F0} cpu_us_per_batch={cpuUs / batches:F0} rows_per_batch=4"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static Task CycleAsync(SqliteTableStore store, int endpoints, DateTimeOffset now, Dictionary<string, string?[]> etags) =>
        Parallel.ForEachAsync(Enumerable.Range(0, endpoints), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, ct) =>
        {
            var partition = $"svc{i / 10}.e{i}";
            string?[]? known;
            lock (etags)
            {
                known = etags.GetValueOrDefault(partition);
            }
            var batch = Batch(partition, now, known);
            var written = await store.SubmitBatchAsync(Table, batch, ct);
            lock (etags)
            {
                etags[partition] = [.. written];
            }
        });

    // The rows and sizes of a healthy probe's batch, as EndpointRecorder writes them.
    private static List<TableOperation> Batch(string partition, DateTimeOffset now, string?[]? etags)
    {
        var result = new TableEntity(partition, MonitorTables.ResultKey(now, "local"), new Dictionary<string, object?>
        {
            ["Region"] = "local", ["CheckedAt"] = now, ["Outcome"] = "up", ["StatusCode"] = 200, ["ResponseMs"] = 1L,
            ["FirstByteMs"] = 1L, ["Ip"] = "127.0.0.1", ["Conditions"] = "✓ [STATUS] (200) == 200\n✓ [BODY].status (UP) == UP", ["Attempts"] = 1,
        });
        var counts = new Dictionary<string, object?> { ["Up"] = 15L, ["Degraded"] = 0L, ["Down"] = 0L, ["Maintenance"] = 0L, ["LatencySumMs"] = 278.0 };
        for (var h = 0; h < 13; h++)
        {
            counts[$"H{h}"] = h == 0 ? 14L : 0L;
        }
        var state = new Dictionary<string, object?>
        {
            ["Status"] = "up", ["Since"] = now.AddHours(-1), ["Failures"] = 0, ["Successes"] = 15, ["DegradedStreak"] = 0, ["UpStreak"] = 15,
            ["LastCheck"] = now, ["BaselineMs"] = 59.42212032141171, ["BaselineSamples"] = 15,
        };
        return
        [
            TableOperation.UpsertReplace(result),
            Guarded(new TableEntity(partition, "rollup-d-20261130-local", counts), etags?[1]),
            Guarded(new TableEntity(partition, "rollup-h-2026113012-local", counts), etags?[2]),
            Guarded(new TableEntity(partition, "state-local", state), etags?[3]),
        ];
    }

    private static TableOperation Guarded(TableEntity row, string? etag) =>
        etag is null ? TableOperation.Insert(row) : TableOperation.Update(row with { ETag = etag });
}
