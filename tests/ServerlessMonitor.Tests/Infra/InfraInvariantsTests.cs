using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// Security invariants of infra/, asserted on the ARM JSON that `bicep build infra/main.bicep` produces:
/// the compiler and linter are clean, the identity gets least-privilege roles, and no key exists anywhere.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class InfraInvariantsTests(CompiledInfra infra)
{
    private const string IdentityPrincipal = @"'identity'.*\.outputs\.principalId\.value\]$";

    [Fact]
    public void Bicep_BuildAndLint_ReportNoErrorsOrWarnings()
    {
        var problems = infra.BuildDiagnostics.Concat(infra.LintDiagnostics)
            .Where(d => d.Level is "Error" or "Warning")
            .Distinct()
            .ToList();
        Assert.True(problems.Count == 0, $"{problems.Count} bicep diagnostics:\n{string.Join('\n', problems)}");
    }

    [Theory]
    [InlineData("Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts")]
    [InlineData("Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts")]
    [InlineData("Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts")]
    [InlineData("EventGrid Data Sender", "d5a91429-5739-47e2-a06b-3470a27159e7", "Microsoft.EventGrid/topics")]
    [InlineData("Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components")]
    public void Rbac_AssignsLeastPrivilegeRole_ToTheUserAssignedIdentity(string role, string roleDefinitionId, string scopeType)
    {
        var assignment = Assert.Single(RoleAssignments(), a => a.RoleId == roleDefinitionId);
        Assert.True(assignment.Principal is not null && Regex.IsMatch(assignment.Principal, IdentityPrincipal),
            $"{role} is assigned to {assignment.Principal}, not to the identity module's principalId");
        Assert.Equal("ServicePrincipal", assignment.PrincipalType);
        Assert.Contains(scopeType, assignment.Scope, StringComparison.Ordinal);

        var identity = infra.Module("identity");
        Assert.Single(identity.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
    }

    [Fact]
    public void Rbac_AssignsNoOtherRoles()
    {
        string[] expected =
        [
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "3913510d-42f4-4e42-8a64-420c390055eb", "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "d5a91429-5739-47e2-a06b-3470a27159e7",
        ];
        Assert.Equal(expected, RoleAssignments().Select(a => a.RoleId).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")] // Owner
    [InlineData("b24988ac-6180-42a0-ab88-20f7382dd24c")] // Contributor
    [InlineData("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9")] // User Access Administrator
    [InlineData("17d1049b-9a84-46fb-8f53-869881c3d3ab")] // Storage Account Contributor (can list keys)
    [InlineData("81a9662b-bebf-436f-a333-f67b29880f12")] // Storage Account Key Operator
    [InlineData("1e241071-0855-49ea-94dc-649edcd759de")] // EventGrid Contributor (can list topic keys)
    public void Rbac_GrantsNoBroadRoles(string roleDefinitionId)
    {
        Assert.DoesNotContain(roleDefinitionId, infra.Json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Storage_DisablesSharedKeyAndPublicBlobAccess()
    {
        var (_, account) = Assert.Single(infra.All("Microsoft.Storage/storageAccounts"));
        var properties = account["properties"]!;
        Assert.False(properties["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(properties["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.True(properties["defaultToOAuthAuthentication"]!.GetValue<bool>());
        Assert.True(properties["supportsHttpsTrafficOnly"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", properties["minimumTlsVersion"]!.GetValue<string>());

        Assert.All(infra.All("Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => Assert.Equal("None", c.Resource["properties"]?["publicAccess"]?.GetValue<string>()));
    }

    [Theory]
    [InlineData("AccountKey")]
    [InlineData("SharedAccessKey")]
    [InlineData("SharedAccessSignature")]
    [InlineData("primaryKey")]
    [InlineData("InstrumentationKey")]
    [InlineData("EventGrid__TopicKey")]
    [InlineData("Storage__ConnectionString")]
    [InlineData("Admin__Key")]
    [InlineData("Alerts__Webhooks")]
    public void Infra_ContainsNoKeysOrKeyBearingSettings(string forbidden)
    {
        Assert.DoesNotContain(forbidden, infra.Json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Infra_CallsNoListFunction()
    {
        // listKeys, listAccountSas, listSecrets … are how a template reads keys; none is needed.
        var calls = Regex.Matches(infra.Json, @"\blist\w*\(", RegexOptions.IgnoreCase).Select(m => m.Value).Distinct();
        Assert.Empty(calls);
    }

    [Fact]
    public void Topic_AcceptsCloudEventsWithEntraIdOnly()
    {
        var (eventGrid, topic) = Assert.Single(infra.All("Microsoft.EventGrid/topics"));
        Assert.Equal("CloudEventSchemaV1_0", topic["properties"]!["inputSchema"]!.GetValue<string>());
        Assert.True(topic["properties"]!["disableLocalAuth"]!.GetValue<bool>());

        var (_, subscription) = Assert.Single(infra.All("Microsoft.EventGrid/topics/eventSubscriptions"));
        var properties = subscription["properties"]!;
        Assert.Equal("CloudEventSchemaV1_0", properties["eventDeliverySchema"]!.GetValue<string>());
        Assert.Equal("WebHook", properties["destination"]!["endpointType"]!.GetValue<string>());
        Assert.NotNull(properties["filter"]!["includedEventTypes"]);
        Assert.NotNull(properties["filter"]!["subjectBeginsWith"]);

        // The webhook URL may embed a secret: it is a secure value, kept out of the deployment history.
        var endpoint = eventGrid.Json["definitions"]?["alertSubscription"]?["properties"]?["endpoint"]?["type"]?.GetValue<string>();
        Assert.Equal("securestring", endpoint);
    }

    [Fact]
    public void ApplicationInsights_DisablesLocalAuth()
    {
        var (_, component) = Assert.Single(infra.All("Microsoft.Insights/components"));
        Assert.True(component["properties"]!["DisableLocalAuth"]!.GetValue<bool>());
    }

    [Fact]
    public void FunctionApp_AuthenticatesAsTheUserAssignedIdentityEverywhere()
    {
        var app = infra.PrimaryApp;
        Assert.Matches(@"'identity'.*\.outputs\.id\.value\]$", app.PassedExpression("identityId"));
        Assert.Matches(@"'identity'.*\.outputs\.clientId\.value\]$", app.PassedExpression("identityClientId"));

        var identity = infra.FunctionApp["identity"]!;
        Assert.Equal("UserAssigned", identity["type"]!.GetValue<string>());
        var assigned = Assert.Single(identity["userAssignedIdentities"]!.AsObject());
        Assert.Contains("parameters('identityId')", assigned.Key, StringComparison.Ordinal);

        var packageStorage = infra.FunctionApp["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!;
        Assert.Equal("UserAssignedIdentity", packageStorage["type"]!.GetValue<string>());
        Assert.Equal("[parameters('identityId')]", packageStorage["userAssignedIdentityResourceId"]!.GetValue<string>());

        var settings = infra.AppSettings;
        foreach (var clientId in (string[])["AzureWebJobsStorage__clientId", "Storage__ManagedIdentityClientId", "EventGrid__ManagedIdentityClientId", "AZURE_CLIENT_ID"])
        {
            Assert.Equal("[parameters('identityClientId')]", settings[clientId]?.GetValue<string>());
        }

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]?.GetValue<string>());
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]",
            settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]?.GetValue<string>());
    }

    private sealed record RoleAssignment(string RoleId, string? Principal, string? PrincipalType, string Scope);

    private List<RoleAssignment> RoleAssignments() =>
        infra.All("Microsoft.Authorization/roleAssignments").Select(a =>
        {
            var properties = a.Resource["properties"]!;
            var definition = a.Template.InlineVariables(properties["roleDefinitionId"]!.GetValue<string>());
            var roleId = Regex.Match(definition, @"roleDefinitions',\s*'([0-9a-f-]{36})'\)").Groups[1].Value;
            Assert.False(roleId.Length == 0, $"role definition not recognised: {definition}");
            return new RoleAssignment(
                roleId,
                a.Template.ResolveString(properties["principalId"]),
                properties["principalType"]?.GetValue<string>(),
                a.Resource["scope"]?.GetValue<string>() ?? "");
        }).ToList();
}
