using System.Diagnostics;
using System.Net.Http;
using System.Net.Http.Headers;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;
using Xunit.Abstractions;

namespace ServerlessMonitor.Tests.Web;

/// <summary>
/// Thousands of malformed requests at every public and admin route of the running app: none may answer 5xx
/// (or break the connection). Seeded and bounded; the status-code histogram goes to the test output.
/// </summary>
public class FuzzTests(OutageLabFixture fixture, ITestOutputHelper output) : IClassFixture<OutageLabFixture>
{
    private const int Seed = 20261121;
    private const int Requests = 3000;

    [Fact]
    public async Task AllRoutes_MalformedPathsQueriesHeadersAndBodies_NeverA5xx()
    {
        const string name = "fuzz";
        var settings = AdminHarness.WithKey(new Dictionary<string, string?>
        {
            // Limits would answer most requests with 429 before any handler ran; the fuzzer wants the handlers.
            ["Web:RequestsPerMinute"] = "100000",
            ["Reports:PermitLimit"] = "100000",
            ["Admin:MaxFailedAttempts"] = "100000",
        });
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), settings);
        await app.ResolvedOutageAsync(fixture.Lab, name);
        var incidentId = (await app.IncidentsAsync(name)).EnumerateArray().First().GetProperty("id").GetString()!;
        var requests = new FuzzRequests(Seed, name, "web", incidentId, AdminHarness.Key).Generate(Requests);
        var client = app.CreateClient();
        var histogram = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();

        // A few at a time, as browsers and scrapers would arrive; the requests themselves are fixed by the seed.
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) =>
        {
            var outcome = await SendAsync(client, request);
            lock (histogram)
            {
                histogram[outcome] = histogram.GetValueOrDefault(outcome) + 1;
                if (!outcome.StartsWith('2') && !outcome.StartsWith('3') && !outcome.StartsWith('4'))
                {
                    failures.Add($"{outcome} {request.Method} {Shorten(request.Url)} ({request.Route})");
                }
            }
        });

        output.WriteLine($"fuzz: {requests.Count} requests (seed {Seed}) in {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine("status histogram: " + string.Join(", ", histogram.Select(h => $"{h.Key}: {h.Value}")));
        foreach (var route in requests.GroupBy(r => r.Route).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {route.Key}: {route.Count()}");
        }
        foreach (var failure in failures.Take(20))
        {
            output.WriteLine("FAILED " + failure);
        }
        // No time limit here: speed is the benchmarks' job, and a loaded CI machine must not fail a correctness test.
        Assert.Empty(failures);
    }

    private static async Task<string> SendAsync(HttpClient client, FuzzRequest fuzz)
    {
        // Absolute, so that a path starting with "//" stays a path instead of becoming a host name.
        if (!Uri.TryCreate("http://localhost" + fuzz.Url, UriKind.Absolute, out var url))
        {
            return "unsendable";
        }
        using var request = new HttpRequestMessage(fuzz.Method, url);
        foreach (var (name, value) in fuzz.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            if (MediaTypeHeaderValue.TryParse(fuzz.ContentType, out var type))
            {
                request.Content.Headers.ContentType = type;
            }
            else if (fuzz.ContentType is { Length: > 0 } raw)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", raw);
            }
        }
        try
        {
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException)
        {
            // The in-memory server rethrows what the app did not handle: as bad as a 500.
            return $"exception:{e.GetType().Name}:{e.Message}";
        }
    }

    private static string Shorten(string url) => url.Length <= 200 ? url : url[..200] + "…";
}
