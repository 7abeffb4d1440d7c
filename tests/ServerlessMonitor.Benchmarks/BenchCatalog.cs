using System.Globalization;
using OutageLab;

namespace ServerlessMonitor.Benchmarks;

internal static class BenchCatalog
{
    /// <summary>N lab targets: /healthy, or /error (a 500) for every endpoint in the <paramref name="failing"/> share, spread evenly.</summary>
    public static IReadOnlyList<Uri> Urls(OutageLabServer lab, int endpoints, double failing)
    {
        var every = failing > 0 ? (int)Math.Round(1 / failing) : 0;
        return Enumerable.Range(0, endpoints)
            .Select(i => lab.Http(every > 0 && i % every == every / 2 ? $"/error?e={i}" : $"/healthy?e={i}"))
            .ToList();
    }

    /// <summary>N lab targets answering an HTML page of about <paramref name="kb"/> KiB (0: a tiny page), like real home pages.</summary>
    public static IReadOnlyList<Uri> Pages(OutageLabServer lab, int endpoints, int kb) =>
        Enumerable.Range(0, endpoints).Select(i => lab.Http($"/page?kb={kb}&e={i}")).ToList();

    /// <summary>A content check on a whole HTML page: the body must be read to its end to judge it.</summary>
    public const string PageConditions = "\"[STATUS] == 200\", \"[BODY] == pat(*</html>*)\"";

    /// <summary>A status check only: the body is never read.</summary>
    public const string StatusConditions = "\"[STATUS] == 200\"";

    private const string JsonConditions = "\"[STATUS] == 200\", \"[BODY].status == UP\"";

    public static string Build(OutageLabServer lab, int endpoints) => Build(Urls(lab, endpoints, 0));

    /// <summary>One http endpoint per URL, ten per service.</summary>
    public static string Build(IReadOnlyList<Uri> urls, string conditions = JsonConditions)
    {
        var services = Enumerable.Range(0, urls.Count).GroupBy(i => i / 10).Select(g => $$"""
            { "id": "svc{{g.Key.ToString(CultureInfo.InvariantCulture)}}", "name": "Service {{g.Key.ToString(CultureInfo.InvariantCulture)}}", "endpoints": [ {{string.Join(",", g.Select(i => $$"""
                { "id": "e{{i.ToString(CultureInfo.InvariantCulture)}}", "url": "{{urls[i]}}", "conditions": [{{conditions}}] }
                """))}} ] }
            """);
        return $$"""{ "services": [ {{string.Join(",", services)}} ] }""";
    }
}
