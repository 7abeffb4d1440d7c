using OutageLab;

namespace ServerlessMonitor.Benchmarks;

internal static class BenchCatalog
{
    /// <summary>N http endpoints on the lab's /healthy, ten per service.</summary>
    public static string Build(OutageLabServer lab, int endpoints)
    {
        var services = Enumerable.Range(0, endpoints).GroupBy(i => i / 10).Select(g => $$"""
            { "id": "svc{{g.Key}}", "name": "Service {{g.Key}}", "endpoints": [ {{string.Join(",", g.Select(i => $$"""
                { "id": "e{{i}}", "url": "{{lab.Http($"/healthy?e={i}")}}", "conditions": ["[STATUS] == 200", "[BODY].status == UP"] }
                """))}} ] }
            """);
        return $$"""{ "services": [ {{string.Join(",", services)}} ] }""";
    }
}
