using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Support;

/// <summary>What a fault scenario cost, as the fault rig's BENCH line reports it.</summary>
public sealed record FaultScore(int Lost, int Duplicated, int Reordered)
{
    public string Line(string scenario, int staleCycles) =>
        $"BENCH faults scenario={scenario} lost={Lost} duplicated={Duplicated} reordered={Reordered} stale_cycles={staleCycles}";
}

/// <summary>
/// Compares what a scenario should have produced (the Down/Recovered transitions of each endpoint "{service}.web", in order)
/// with what the store and the receivers hold: the outbox rows, the topic's and the webhook's deliveries (each sink on its
/// own, in the order it got them), and the recorded results against the hourly rollup that counted them. With
/// <c>serviceEvents</c>, each service (one endpoint each) also owes one Service.StatusChanged per transition, "down" then "up".
/// </summary>
public static class FaultAudit
{
    private static readonly string[] Transitions = [AlertTypes.EndpointDown, AlertTypes.EndpointRecovered];

    public static async Task<FaultScore> ScoreAsync(MonitorAppFactory app, AlertReceivers receivers, IReadOnlyDictionary<string, string[]> expected,
        bool serviceEvents = false)
    {
        int lost = 0, duplicated = 0, reordered = 0;
        var store = app.Services.GetRequiredService<ITableStore>();
        var tables = app.Services.GetRequiredService<MonitorTables>();
        foreach (var (service, want) in expected)
        {
            var partition = MonitorTables.EndpointPartition(service, "web");
            var outbox = (await RowsAsync(store, tables.Endpoints, partition, OutboxRows.KeyPrefix))
                .Select(r => r.GetString(OutboxRows.TypeProperty)!).Where(Transitions.Contains).ToList();
            var subject = AlertEvents.Subject(service, "web");
            var topic = Of(receivers.TopicEvents(), subject);
            var hook = Of(receivers.HookEvents(), subject);
            foreach (var got in new[] { outbox, topic, hook })
            {
                foreach (var type in Transitions)
                {
                    var difference = got.Count(t => t == type) - want.Count(t => t == type);
                    lost += Math.Max(0, -difference);
                    duplicated += Math.Max(0, difference);
                }
            }
            // Per incident and per sink: the order each sink got them in (the outbox rows have no order of their own to check).
            reordered += new[] { topic, hook }.Count(got => !got.Distinct().SequenceEqual(want.Where(got.Contains)));

            var results = (await RowsAsync(store, tables.Endpoints, partition, "result-")).Count;
            var counted = (await RowsAsync(store, tables.Endpoints, partition, "rollup-h-"))
                .Sum(r => r.GetInt64("Up") + r.GetInt64("Degraded") + r.GetInt64("Down") + r.GetInt64("Maintenance"));
            duplicated += (int)Math.Max(0, counted - results);
            if (serviceEvents)
            {
                var (l, d, r) = await ServiceEventsAsync(store, tables, receivers, service, [.. want.Select(t => t == AlertTypes.EndpointDown ? "down" : "up")]);
                (lost, duplicated, reordered) = (lost + l, duplicated + d, reordered + r);
            }
        }
        return new FaultScore(lost, duplicated, reordered);
    }

    /// <summary>The service's Service.StatusChanged events (outbox rows by count, each sink by status and order) against the statuses it went through.</summary>
    private static async Task<(int Lost, int Duplicated, int Reordered)> ServiceEventsAsync(ITableStore store, MonitorTables tables, AlertReceivers receivers,
        string service, string[] want)
    {
        var outbox = (await RowsAsync(store, tables.Endpoints, service, OutboxRows.KeyPrefix))
            .Count(r => r.GetString(OutboxRows.TypeProperty) == AlertTypes.ServiceStatusChanged);
        var subject = AlertEvents.Subject(service, null);
        var sinks = new[] { receivers.TopicEvents(), receivers.HookEvents() }.Select(events => events
            .Where(e => e.GetProperty("subject").GetString() == subject && e.GetProperty("type").GetString() == AlertTypes.ServiceStatusChanged)
            .Select(e => e.GetProperty("data").GetProperty("status").GetString()!).ToList()).ToList();
        var lost = Math.Max(0, want.Length - outbox) + sinks.Sum(got => Math.Max(0, want.Length - got.Count));
        var duplicated = Math.Max(0, outbox - want.Length) + sinks.Sum(got => Math.Max(0, got.Count - want.Length));
        var reordered = sinks.Count(got => got.Count == want.Length && !got.SequenceEqual(want));
        return (lost, duplicated, reordered);
    }

    /// <summary>How many services' public answer (/api/status/{service}) differs from the committed global state row.</summary>
    public static async Task<int> MismatchesAsync(MonitorAppFactory app, IEnumerable<string> services)
    {
        var store = app.Services.GetRequiredService<ITableStore>();
        var tables = app.Services.GetRequiredService<MonitorTables>();
        var client = app.CreateClient();
        var mismatches = 0;
        foreach (var service in services)
        {
            var row = await store.GetAsync(tables.Endpoints, MonitorTables.EndpointPartition(service, "web"), MonitorTables.GlobalStateKey);
            var answer = await client.GetFromJsonAsync<JsonElement>($"/api/status/{service}");
            var shown = answer.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("id").GetString() == "web").GetProperty("status").GetString();
            if (row?.GetString("Status") != shown)
            {
                mismatches++;
            }
        }
        return mismatches;
    }

    private static List<string> Of(IReadOnlyList<JsonElement> events, string subject) => events
        .Where(e => e.GetProperty("subject").GetString() == subject)
        .Select(e => e.GetProperty("type").GetString()!).Where(Transitions.Contains).ToList();

    private static async Task<List<TableEntity>> RowsAsync(ITableStore store, string table, string partition, string prefix)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in store.QueryAllAsync(table, partition, RowKeyRange.Prefix(prefix)))
        {
            rows.Add(row);
        }
        return rows;
    }
}
