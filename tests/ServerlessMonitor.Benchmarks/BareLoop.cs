namespace ServerlessMonitor.Benchmarks;

internal static class BareLoop
{
    public static Task RunAsync(HttpClient http, IReadOnlyList<Uri> urls, int concurrency) =>
        Parallel.ForEachAsync(urls, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (url, ct) =>
        {
            using var response = await http.GetAsync(url, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
        });
}
