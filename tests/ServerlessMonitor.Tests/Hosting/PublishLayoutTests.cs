using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using NCrontab;

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

/// <summary>Function folders as they are in the source tree (test data must exist before the publish runs).</summary>
internal static class SourceLayout
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string AppDir => Path.Combine(RepoRoot, "functions", "ServerlessMonitor");

    public static IEnumerable<string> FunctionNames() =>
        Directory.GetDirectories(AppDir)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => Path.GetFileName(d)!)
            .Order(StringComparer.Ordinal);

    public static bool IsTimer(string function)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppDir, function, "function.json")));
        return json?["bindings"]?.AsArray().Any(b => b?["type"]?.GetValue<string>() == "timerTrigger") == true;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ServerlessMonitor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ServerlessMonitor.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>Request bodies shaped like the ones the Functions host sends to a custom handler.</summary>
internal static class HostPayload
{
    public static StringContent Timer(string function, string bindingName)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject
            {
                [bindingName] = new JsonObject
                {
                    ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = new JsonObject
                    {
                        ["Last"] = now.AddSeconds(-30).ToString("O"),
                        ["Next"] = now.AddSeconds(30).ToString("O"),
                        ["LastUpdated"] = now.AddSeconds(-30).ToString("O"),
                    },
                    ["IsPastDue"] = false,
                },
            },
            ["Metadata"] = new JsonObject
            {
                ["sys"] = new JsonObject
                {
                    ["MethodName"] = function,
                    ["UtcNow"] = now.ToString("O"),
                    ["RandGuid"] = Guid.NewGuid().ToString(),
                },
            },
        };
        return new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
    }
}

/// <summary>Publishes the app once per test class and, on demand, runs it the way the Functions host would.</summary>
public sealed class PublishedAppFixture : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sm-publish-" + Guid.NewGuid().ToString("N"));
    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private Process? _process;
    private HttpClient? _client;
    private Task<HttpClient>? _launch;

    public string PublishDir => Path.Combine(_root, "package");

    public JsonNode HostJson { get; private set; } = new JsonObject();

    /// <summary>What the published app printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var publish = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", SourceLayout.AppDir, "-c", "Release", "-o", PublishDir, "--nologo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(publish)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        HostJson = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(PublishDir, "host.json")))!;
    }

    /// <summary>The single trigger binding of a published function.json.</summary>
    public JsonNode Trigger(string function)
    {
        var path = Path.Combine(PublishDir, function, "function.json");
        Assert.True(File.Exists(path), $"{function}/function.json is not in the package");
        var bindings = JsonNode.Parse(File.ReadAllText(path))?["bindings"]?.AsArray();
        Assert.NotNull(bindings);
        return Assert.Single(bindings, b => b?["type"]?.GetValue<string>()?.EndsWith("Trigger", StringComparison.Ordinal) == true)!;
    }

    /// <summary>Starts host.json's executable with its arguments from the package root, once (a failed start fails every caller).</summary>
    public async Task<HttpClient> StartAsync()
    {
        await _startLock.WaitAsync();
        try
        {
            _launch ??= LaunchAsync();
        }
        finally
        {
            _startLock.Release();
        }

        return await _launch;
    }

    private async Task<HttpClient> LaunchAsync()
    {
        var port = FreePort();
        var dataDir = Directory.CreateDirectory(Path.Combine(_root, "data")).FullName;
        var catalog = Path.Combine(dataDir, "monitors.json");
        // One endpoint on the app itself: probing stays on loopback.
        await File.WriteAllTextAsync(catalog, $$"""
            { "services": [ { "id": "self", "name": "Self", "category": "test",
                "endpoints": [ { "id": "health", "kind": "http", "url": "http://127.0.0.1:{{port}}/api/health",
                                 "interval": "00:01:00", "timeout": "00:00:05", "conditions": ["[STATUS] == 200"] } ] } ] }
            """);

        var description = HostJson["customHandler"]!["description"]!;
        var start = new ProcessStartInfo(description["defaultExecutablePath"]!.GetValue<string>())
        {
            WorkingDirectory = PublishDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in description["arguments"]?.AsArray() ?? [])
        {
            start.ArgumentList.Add(argument!.GetValue<string>());
        }

        // The host passes the port in FUNCTIONS_CUSTOMHANDLER_PORT only; nothing else may pick the address.
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Storage__Mode"] = "Sqlite";
        start.Environment["Storage__SqlitePath"] = Path.Combine(dataDir, "monitor.db");
        start.Environment["Monitor__Catalog"] = catalog;
        start.Environment["Monitor__Region"] = "test";
        start.Environment["Monitor__Instance"] = "publish-layout";
        start.Environment["Monitor__ProbeSchedule"] = "*/30 * * * * *";

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilListeningAsync(_client);
        return _client;
    }

    private async Task WaitUntilListeningAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The published app exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/api/health");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"The published app did not listen on FUNCTIONS_CUSTOMHANDLER_PORT within {StartTimeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _startLock.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the run; the temp folder is cleaned by the OS.
        }
    }
}
