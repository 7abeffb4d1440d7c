using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using NCrontab;

using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>
/// The deployment package is whatever `dotnet publish -c Release` writes (azd deploys exactly that). These
/// tests publish once, check the layout the Functions host reads, then start the published app the way the
/// host does (host.json's executable and arguments, FUNCTIONS_CUSTOMHANDLER_PORT) and speak the
/// custom-handler protocol to it.
/// </summary>
public sealed class PublishLayoutTests(PublishedAppFixture app) : IClassFixture<PublishedAppFixture>
{
    // Routes the Functions host keeps for itself; a function route starting with one never receives requests.
    private static readonly string[] ReservedRoutePrefixes = ["admin", "runtime"];

    public static TheoryData<string> FunctionNames() => new(SourceLayout.FunctionNames());

    public static TheoryData<string> TimerFunctionNames() => new(SourceLayout.FunctionNames().Where(SourceLayout.IsTimer));

    [Fact]
    public void Publish_HostJson_IsAtPackageRoot()
    {
        Assert.True(File.Exists(Path.Combine(app.PublishDir, "host.json")), "host.json must sit at the root of the published package");
    }

    [Fact]
    public void HostJson_CustomHandler_StartsFilesThatArePublished()
    {
        var description = app.HostJson["customHandler"]?["description"];
        var executable = description?["defaultExecutablePath"]?.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(executable), "customHandler.description.defaultExecutablePath is missing");
        var arguments = description?["arguments"]?.AsArray().Select(a => a!.GetValue<string>()).ToArray() ?? [];

        if (executable == "dotnet")
        {
            // Framework-dependent: the stack's `dotnet` runs the app assembly, so no file needs the executable bit.
            var assembly = Assert.Single(arguments, a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
            Assert.True(File.Exists(Path.Combine(app.PublishDir, assembly)), $"{assembly} is not in the package");
            var runtimeConfig = Path.ChangeExtension(assembly, ".runtimeconfig.json");
            Assert.True(File.Exists(Path.Combine(app.PublishDir, runtimeConfig)), $"{runtimeConfig} is not in the package");
        }
        else
        {
            Assert.True(File.Exists(Path.Combine(app.PublishDir, executable!)), $"{executable} is not in the package");
        }
    }

    [Fact]
    public void HostJson_ForwardsHttpRequestsWithoutRoutePrefix()
    {
        Assert.True(app.HostJson["customHandler"]?["enableForwardingHttpRequest"]?.GetValue<bool>() == true,
            "customHandler.enableForwardingHttpRequest must be true: the app serves its HTTP routes itself");
        // The app maps /api/... and / itself; a host prefix would be added in front of the forwarded path.
        Assert.Equal("", app.HostJson["extensions"]?["http"]?["routePrefix"]?.GetValue<string>());
    }

    [Fact]
    public void Package_ContainsEveryFunctionFolder_AndNoOthers()
    {
        var published = Directory.GetDirectories(app.PublishDir)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => Path.GetFileName(d)!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(SourceLayout.FunctionNames().Order(StringComparer.Ordinal), published);
        Assert.Contains("ProbeTimer", published);
        Assert.Contains("Api", published);
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public void FunctionJson_HasExactlyOneNamedTrigger(string function)
    {
        var trigger = app.Trigger(function);
        Assert.Equal("in", trigger["direction"]?.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(trigger["name"]?.GetValue<string>()), $"{function}: trigger binding has no name");
    }

    [Theory]
    [MemberData(nameof(TimerFunctionNames))]
    public void TimerFunction_Schedule_IsSixFieldNcrontabOrAnInfraSetting(string function)
    {
        var schedule = app.Trigger(function)["schedule"]?.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(schedule), $"{function}: timer trigger has no schedule");

        if (schedule!.StartsWith('%') && schedule.EndsWith('%'))
        {
            // An app-setting reference only resolves if the deployment sets it.
            var setting = schedule.Trim('%');
            var appBicep = File.ReadAllText(Path.Combine(SourceLayout.RepoRoot, "infra", "app", "app.bicep"));
            Assert.Matches($@"(?m)^\s*{setting}:\s*\S", appBicep);
        }
        else
        {
            Assert.Equal(6, schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.NotNull(CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }));
        }
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public void HttpFunction_Route_AvoidsTheHostsReservedRoutes(string function)
    {
        var trigger = app.Trigger(function);
        if (trigger["type"]?.GetValue<string>() != "httpTrigger")
        {
            return;
        }

        var route = trigger["route"]?.GetValue<string>() ?? function;
        var firstSegment = route.TrimStart('/').Split('/')[0];
        Assert.DoesNotContain(firstSegment, ReservedRoutePrefixes, StringComparer.OrdinalIgnoreCase);
        Assert.Contains(trigger["authLevel"]?.GetValue<string>(), new[] { "anonymous", "function", "admin" });
    }

    [Theory]
    [MemberData(nameof(TimerFunctionNames))]
    public async Task PublishedApp_TimerInvocation_AnswersWithInvocationResponse(string function)
    {
        var client = await app.StartAsync();
        var binding = app.Trigger(function)["name"]!.GetValue<string>();

        using var response = await client.PostAsync($"/{function}", HostPayload.Timer(function, binding));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /{function} answered {(int)response.StatusCode}: {body}\n{app.Output}");
        // The host reads the invocation result with Newtonsoft.Json, which matches property names case-insensitively.
        var result = JsonNode.Parse(body)?.AsObject();
        Assert.NotNull(result);
        var names = result.Select(p => p.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.True(names.Contains("Outputs") && names.Contains("Logs") && names.Contains("ReturnValue"),
            $"expected {{\"Outputs\":…,\"Logs\":[…],\"ReturnValue\":…}}, got {body}");
        var logs = result.First(p => string.Equals(p.Key, "Logs", StringComparison.OrdinalIgnoreCase)).Value;
        Assert.True(logs is null or JsonArray, $"Logs must be an array: {body}");
    }

    [Fact]
    public async Task PublishedApp_ForwardedHealthRequest_Answers200()
    {
        var client = await app.StartAsync();

        using var response = await client.GetAsync("/api/health");

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/health answered {(int)response.StatusCode}\n{app.Output}");
    }
}
