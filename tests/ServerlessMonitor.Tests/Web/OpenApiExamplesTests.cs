using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Web;

/// <summary>
/// The success examples of the served document: the main reads have one, and every example is valid against its own
/// operation's response schema in that document (checked by JsonSchema.Net, a validator the team did not write).
/// </summary>
public class OpenApiExamplesTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static readonly string[] MainReads = ["Health", "GetStatus", "GetServiceStatus", "GetIncidents", "GetChecks", "GetUptime", "Compare"];

    [Fact]
    public async Task OpenApi_MainReads_HaveAnExampleValidAgainstTheirResponseSchema()
    {
        var document = await DocumentAsync("openapi-examples-main");

        foreach (var name in MainReads)
        {
            var (schema, example) = SuccessOf(document, name);
            Assert.True(example is not null, $"{name} has no example");
            var errors = Validate(document, schema, example.Value);
            Assert.True(errors.Count == 0, $"{name}'s example does not match its schema:\n{string.Join("\n", errors)}");
        }
    }

    [Fact]
    public async Task OpenApi_EveryExample_IsValidAgainstItsOperationsResponseSchema()
    {
        var document = await DocumentAsync("openapi-examples-all");
        var checkedExamples = 0;
        var failures = new List<string>();

        foreach (var op in document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()))
        {
            foreach (var answer in op.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')))
            {
                if (!answer.Value.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var media)
                    || !media.TryGetProperty("example", out var example))
                {
                    continue;
                }
                checkedExamples++;
                failures.AddRange(Validate(document, media.GetProperty("schema"), example).Select(e => $"{op.Value.GetProperty("operationId")}: {e}"));
            }
        }

        Assert.True(checkedExamples >= MainReads.Length, $"only {checkedExamples} examples");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Validate_StatusExampleWithoutItsServices_Fails()
    {
        var document = await DocumentAsync("openapi-examples-broken");
        var (schema, example) = SuccessOf(document, "GetStatus");
        var broken = JsonNode.Parse(example!.Value.GetRawText())!.AsObject();
        broken.Remove("services");
        broken["generatedAt"] = 42;

        var errors = Validate(document, schema, JsonSerializer.SerializeToElement(broken));

        Assert.NotEmpty(errors);
    }

    private async Task<JsonElement> DocumentAsync(string name)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        return JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/openapi.json")).RootElement.Clone();
    }

    /// <summary>The JSON schema and example of the 2xx answer of the operation with this id.</summary>
    private static (JsonElement Schema, JsonElement? Example) SuccessOf(JsonElement document, string operationId)
    {
        var op = document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject())
            .Single(o => o.Value.GetProperty("operationId").GetString() == operationId).Value;
        var media = op.GetProperty("responses").EnumerateObject().First(r => r.Name.StartsWith('2')).Value
            .GetProperty("content").GetProperty("application/json");
        return (media.GetProperty("schema"), media.TryGetProperty("example", out var example) ? example : null);
    }

    /// <summary>
    /// Validates <paramref name="instance"/> against <paramref name="schema"/> with the document's component schemas as
    /// its $defs (the document's references rewritten to point there); the validator's errors, empty when valid.
    /// </summary>
    private static List<string> Validate(JsonElement document, JsonElement schema, JsonElement instance)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = JsonNode.Parse(document.GetProperty("components").GetProperty("schemas").GetRawText()),
            ["allOf"] = new JsonArray(JsonNode.Parse(schema.GetRawText())),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var results = JsonSchema.FromText(text, baseUri: new Uri($"urn:uuid:{Guid.NewGuid()}")).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Prepend(results).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({e.Key}): {e.Value}")).DefaultIfEmpty("invalid")];
    }
}
