using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// <c>--telemetry-compare</c>: the same probe cycle with telemetry off and on (every instrument and span recorded and
/// exported over OTLP to a loopback sink), each run in a fresh process, <c>--repeats</c> times (default 3) in turn
/// off/on, on/off, … so that a burst of load from elsewhere cannot decide the verdict. Prints every run's probe_cycle
/// line, the median line of each setting and the ratio of the medians' probes per second (goal 0.90). With
/// <c>--baseline &lt;dll&gt;</c> another build's benchmark runs beside it in the same rounds, for a before/after in one run.
/// <c>--cycles</c> and <c>--warmup</c> are passed on to every run.
/// </summary>
internal static class TelemetryCompareBench
{
    public static void Run(IConfiguration options)
    {
        var endpoints = int.Parse(options["endpoints"] ?? "1000", CultureInfo.InvariantCulture);
        var backend = options["backend"] ?? "sqlite";
        var repeats = int.Parse(options["repeats"] ?? "3", CultureInfo.InvariantCulture);
        if (repeats < 1)
        {
            throw new ArgumentException($"--repeats must be at least 1, not {repeats}.");
        }
        string[] passed = [.. Pass(options, "cycles"), .. Pass(options, "warmup")];
        var builds = new List<(string Name, string? Assembly)> { ("this", null) };
        if (options["baseline"] is { } baseline)
        {
            builds.Add(("baseline", File.Exists(baseline) ? Path.GetFullPath(baseline)
                : throw new FileNotFoundException($"--baseline: no benchmark assembly at {baseline}.", baseline)));
        }
        var runs = builds.ToDictionary(b => b.Name, _ => new Runs());
        for (var round = 0; round < repeats; round++)
        {
            // Alternating the order each round spreads a drift in load over both settings.
            string[] order = round % 2 == 0 ? ["off", "on"] : ["on", "off"];
            foreach (var telemetry in order)
            {
                foreach (var (name, assembly) in builds)
                {
                    Console.WriteLine($"# round {round + 1}/{repeats} build={name} telemetry={telemetry}");
                    var line = ProbeBench.Child(backend, endpoints, 0, ["--telemetry", telemetry, .. passed], assembly).Line
                        ?? throw new InvalidOperationException($"The {name} build's run with telemetry {telemetry} printed no probe_cycle line.");
                    runs[name].Add(telemetry, line);
                }
            }
        }
        foreach (var (name, _) in builds)
        {
            var label = builds.Count > 1 ? $" build={name}" : "";
            var (off, on) = (runs[name].Median("off"), runs[name].Median("on"));
            Console.WriteLine(FormattableString.Invariant(
                $"BENCH probe_cycle endpoints={endpoints} telemetry=off median_of={repeats}{label} engine_per_s={off.PerS:F0} engine_cpu_us_per_probe={off.CpuUs:F0} backend={backend}"));
            Console.WriteLine(FormattableString.Invariant(
                $"BENCH probe_cycle endpoints={endpoints} telemetry=on median_of={repeats}{label} engine_per_s={on.PerS:F0} engine_cpu_us_per_probe={on.CpuUs:F0} backend={backend}"));
            Console.WriteLine(FormattableString.Invariant(
                $"BENCH telemetry_overhead endpoints={endpoints} backend={backend}{label} repeats={repeats} on_over_off={on.PerS / off.PerS:F2} cpu_on_over_off={on.CpuUs / off.CpuUs:F2} round_ratios={string.Join(',', runs[name].RoundRatios().Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))} goal=0.90"));
        }
    }

    private static string[] Pass(IConfiguration options, string name) => options[name] is { } value ? [$"--{name}", value] : [];

    /// <summary>One build's probe_cycle lines by telemetry setting, in the order they ran.</summary>
    private sealed class Runs
    {
        private readonly Dictionary<string, List<(double PerS, double CpuUs)>> _byTelemetry = new() { ["off"] = [], ["on"] = [] };

        public void Add(string telemetry, string line) => _byTelemetry[telemetry].Add(
            (ProbeBench.Field(line, "engine_per_s"), ProbeBench.Field(line, "engine_cpu_us_per_probe")));

        public (double PerS, double CpuUs) Median(string telemetry) =>
            (Median(_byTelemetry[telemetry].Select(r => r.PerS)), Median(_byTelemetry[telemetry].Select(r => r.CpuUs)));

        /// <summary>Each round's on/off probes per second: how far apart the rounds' verdicts are.</summary>
        public IEnumerable<double> RoundRatios() => _byTelemetry["on"].Zip(_byTelemetry["off"], (on, off) => on.PerS / off.PerS);

        private static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}
