using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// A compiled ARM template, or the template of one module's nested deployment inside it. Follows the
/// <c>[parameters('x')]</c> and <c>[variables('x')]</c> references Bicep leaves in the JSON up to the value
/// they stand for, so tests assert on values (a default, a literal) rather than on expressions.
/// </summary>
internal sealed partial class ArmTemplate
{
    private readonly ArmTemplate? _parent;

    public ArmTemplate(JsonObject template)
        : this(template, deployment: null, parent: null)
    {
    }

    private ArmTemplate(JsonObject template, JsonObject? deployment, ArmTemplate? parent)
    {
        Json = template;
        Deployment = deployment;
        _parent = parent;
    }

    public JsonObject Json { get; }

    /// <summary>The Microsoft.Resources/deployments resource that deploys this template; null for main.</summary>
    public JsonObject? Deployment { get; }

    /// <summary>Deployment name as written in the parent (a literal or an expression).</summary>
    public string? Name => Deployment?["name"]?.GetValue<string>();

    /// <summary>A module deployed once per item of a loop (`[for … in …]`).</summary>
    public bool IsLoop => Deployment?["copy"] is not null;

    /// <summary>
    /// Resources the template creates — not `existing` references — whether Bicep emitted an array
    /// (languageVersion 1.0) or an object keyed by symbolic name (2.0).
    /// </summary>
    public IEnumerable<JsonObject> Resources =>
        (Json["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject byName => byName.Select(p => p.Value).OfType<JsonObject>(),
            _ => [],
        }).Where(r => r["existing"]?.GetValue<bool>() != true);

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals(r["type"]?.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<ArmTemplate> Modules =>
        OfType("Microsoft.Resources/deployments").Select(d => new ArmTemplate(d["properties"]!["template"]!.AsObject(), d, this));

    /// <summary>This template and every module under it, depth first.</summary>
    public IEnumerable<ArmTemplate> AllTemplates => [this, .. Modules.SelectMany(m => m.AllTemplates)];

    /// <summary>The value a parameter has here: what the parent passes, else the default.</summary>
    public JsonNode? Parameter(string name)
    {
        if (Deployment?["properties"]?["parameters"]?[name] is JsonObject passed)
        {
            return _parent!.Resolve(passed["value"]);
        }

        return Resolve(Json["parameters"]?[name]?["defaultValue"]);
    }

    /// <summary>The expression the parent passes for a parameter, unresolved (e.g. a module output reference).</summary>
    public string? PassedExpression(string name) =>
        Deployment?["properties"]?["parameters"]?[name]?["value"]?.ToString();

    /// <summary>Follows a whole-value parameter or variable reference; anything else is returned as it is.</summary>
    public JsonNode? Resolve(JsonNode? value)
    {
        if (value is not JsonValue json || !json.TryGetValue<string>(out var text))
        {
            return value;
        }

        var parameter = WholeParameterReference().Match(text);
        if (parameter.Success)
        {
            return Parameter(parameter.Groups[1].Value);
        }

        var variable = WholeVariableReference().Match(text);
        return variable.Success ? Resolve(Json["variables"]?[variable.Groups[1].Value]) : value;
    }

    public string? ResolveString(JsonNode? value) => Resolve(value) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Writes string variables into an expression: <c>f(variables('x'))</c> becomes <c>f('value of x')</c>.</summary>
    public string InlineVariables(string expression) =>
        VariableCall().Replace(expression, m =>
            Json["variables"]?[m.Groups[1].Value] is JsonValue v && v.TryGetValue<string>(out var s) && !s.StartsWith('[')
                ? $"'{s}'"
                : m.Value);

    [GeneratedRegex(@"^\[parameters\('(\w+)'\)\]$")]
    private static partial Regex WholeParameterReference();

    [GeneratedRegex(@"^\[variables\('(\w+)'\)\]$")]
    private static partial Regex WholeVariableReference();

    [GeneratedRegex(@"variables\('(\w+)'\)")]
    private static partial Regex VariableCall();
}
