using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Reports;

/// <summary>The app in memory with the reports feature, and helpers to post and read reports.</summary>
internal static class ReportsHarness
{
    public const string Service = "svc";

    public const string Catalog = """{"services":[{"id":"svc","name":"Svc","endpoints":[{"id":"web","url":"http://127.0.0.1:9/"}]}]}""";

    /// <summary>Writes a bucket of <paramref name="count"/> "app" reports for <see cref="Service"/> directly, as if posted at <paramref name="start"/>.</summary>
    public static async Task WriteBucketAsync(ITableStore store, MonitorTables tables, DateTimeOffset start, int count)
    {
        TableEntity? row = null;
        for (var i = 0; i < count; i++)
        {
            row = ReportRows.Add(row, Service, start, "app", null, start, 20);
        }
        await store.ExecuteAsync(tables.Reports, TableOperation.UpsertReplace(row!));
    }

    /// <summary>A roomy rate limit, for tests about something else (every in-memory request shares the "unknown" address).</summary>
    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Reports:PermitLimit"] = "1000" };
        foreach (var (k, v) in more ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
        return settings;
    }

    public static async Task<HttpResponseMessage> PostAsync(this HttpClient client, string kind, string? message = null,
        string userAgent = "test-agent/1.0", string service = Service)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string?> { ["kind"] = kind, ["message"] = message });
        return await client.PostRawAsync(body, userAgent, service);
    }

    public static async Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string body, string userAgent = "test-agent/1.0",
        string service = Service)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/services/{service}/reports")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<JsonElement> GetReportsAsync(this HttpClient client, string query = "") =>
        await client.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/reports{query}");

    public static JsonElement BucketAt(this JsonElement reports, DateTimeOffset start) =>
        reports.GetProperty("buckets").EnumerateArray().Single(b => b.GetProperty("start").GetDateTimeOffset() == start);
}
