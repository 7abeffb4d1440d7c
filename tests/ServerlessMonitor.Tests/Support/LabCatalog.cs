using OutageLab;

namespace ServerlessMonitor.Tests.Support;

/// <summary>Catalogs pointing at a running outage lab (its ports are picked at start).</summary>
public static class LabCatalog
{
    /// <summary>One service per switch name, each with one http endpoint on /switch/{name}.</summary>
    public static string Switches(OutageLabServer lab, params string[] names) => $$"""
        { "services": [ {{string.Join(",", names.Select(n => $$"""
            { "id": "{{n}}", "name": "Lab {{n}}", "category": "lab", "endpoints": [
                { "id": "web", "kind": "http", "url": "{{lab.Http($"/switch/{n}")}}", "interval": "00:01:00", "timeout": "00:00:05",
                  "conditions": ["[STATUS] == 200"] } ] }
            """))}} ] }
        """;

    /// <summary>A service per scenario: healthy, 5xx, refused, slow beyond its timeout, TLS near expiry.</summary>
    public static string Scenarios(OutageLabServer lab) => $$"""
        { "services": [
            { "id": "healthy", "name": "Healthy", "endpoints": [
                { "id": "web", "url": "{{lab.Http("/healthy")}}", "conditions": ["[STATUS] == 200", "[BODY].status == UP"] },
                { "id": "tcp", "kind": "tcp", "host": "127.0.0.1", "port": {{lab.HttpPort}} } ] },
            { "id": "broken", "name": "Broken", "endpoints": [
                { "id": "web", "url": "{{lab.Http("/error")}}", "failureThreshold": 1 } ] },
            { "id": "refused", "name": "Refused", "endpoints": [
                { "id": "web", "url": "http://127.0.0.1:{{lab.RefusedPort}}/", "failureThreshold": 1 } ] },
            { "id": "slow", "name": "Slow", "endpoints": [
                { "id": "web", "url": "{{lab.Http("/slow?ms=5000")}}", "timeout": "00:00:00.500", "failureThreshold": 1 } ] },
            { "id": "tls", "name": "TLS", "endpoints": [
                { "id": "cert", "kind": "tls", "host": "127.0.0.1", "port": {{lab.HttpsPort}}, "insecureTls": true, "failureThreshold": 1,
                  "conditions": ["[CONNECTED] == true", "[CERTIFICATE_EXPIRATION] > 240h"] } ] }
        ] }
        """;
}
