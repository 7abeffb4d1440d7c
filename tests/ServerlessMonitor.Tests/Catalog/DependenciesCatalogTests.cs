using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Tests.Catalog;

/// <summary>dependsOn: targets must exist; a cycle (through services or endpoints) is an error at the entry that closes it.</summary>
public class DependenciesCatalogTests
{
    // Services a (web, api) and b (db); {{a}}, {{aweb}}, {{b}} take extra properties.
    private static string Catalog(string a = "", string aweb = "", string b = "") =>
        $$"""
        { "services": [
          { "id": "a", "name": "A"{{a}}, "endpoints": [ { "id": "web", "url": "http://127.0.0.1/"{{aweb}} }, { "id": "api", "url": "http://127.0.0.1/api" } ] },
          { "id": "b", "name": "B"{{b}}, "endpoints": [ { "id": "db", "kind": "tcp", "host": "127.0.0.1", "port": 5432 } ] } ] }
        """;

    public static TheoryData<string, string> Invalid => new()
    {
        { Catalog(a: """, "dependsOn": ["nope"]"""), "services[0].dependsOn[0]: unknown service or endpoint 'nope'" },
        { Catalog(a: """, "dependsOn": ["b/nope"]"""), "services[0].dependsOn[0]: unknown service or endpoint 'b/nope'" },
        { Catalog(aweb: """, "dependsOn": ["b", "x/y"]"""), "services[0].endpoints[0].dependsOn[1]: unknown service or endpoint 'x/y'" },
        { Catalog(a: """, "dependsOn": "b" """), "services[0].dependsOn: must be an array" },
        { Catalog(a: """, "dependsOn": [1]"""), "services[0].dependsOn[0]: must be \"service\" or \"service/endpoint\"" },
        { Catalog(a: """, "dependsOn": ["b", "b"]"""), "services[0].dependsOn[1]: duplicate dependency 'b'" },
        { Catalog(a: """, "dependsOn": ["b"]""", b: """, "dependsOn": ["a"]"""), "services[1].dependsOn[0]: dependency cycle: a/web -> b/db -> a/web" },
        { Catalog(aweb: """, "dependsOn": ["b/db"]""", b: """, "dependsOn": ["a/web"]"""), "services[1].dependsOn[0]: dependency cycle: a/web -> b/db -> a/web" },
        { Catalog(a: """, "dependsOn": ["a/api"]"""), "services[0].dependsOn[0]: dependency cycle: a/api -> a/api" },
        { Catalog(aweb: """, "dependsOn": ["a"]"""), "services[0].endpoints[0].dependsOn[0]: dependency cycle: a/web -> a/web" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Load_InvalidDependsOn_ErrorAtItsPath(string json, string expectedPrefix)
    {
        var result = CatalogLoader.Load(json);

        Assert.Null(result.Catalog);
        Assert.Contains(result.Errors, e => e.StartsWith(expectedPrefix, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""
        , "dependsOn": ["b"]
        """, "", "")]
    [InlineData("", """
        , "dependsOn": ["b/db", "a/api"]
        """, "")]
    // a/web needs a/api and b needs a/web: a chain, not a cycle.
    [InlineData("", """
        , "dependsOn": ["a/api"]
        """, """
        , "dependsOn": ["a/web"]
        """)]
    public void Load_ValidDependsOn_Loaded(string a, string aweb, string b)
    {
        var result = CatalogLoader.Load(Catalog(a, aweb, b));

        Assert.Empty(result.Errors);
        var service = result.Catalog!.Services[0];
        Assert.NotEmpty(Dependencies.Of(service, service.Endpoints[0]).Concat(result.Catalog.Services[1].DependsOn));
    }
}
