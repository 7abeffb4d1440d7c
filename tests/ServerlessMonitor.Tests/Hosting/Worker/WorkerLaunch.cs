using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessMonitor.Tests.Hosting.Worker;

/// <summary>
/// How the Functions host starts a dotnet-isolated worker: the program named by the package's worker.config.json,
/// in the script root, with the host's arguments and the app settings in its environment.
/// </summary>
internal sealed record WorkerLaunch(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory, IDictionary<string, string?> Environment)
{
    /// <summary>The host's RpcWorkerConstants.DefaultMaxMessageLengthBytes.</summary>
    private const int MaxMessageLength = int.MaxValue;

    public static WorkerLaunch For(string scriptRoot, Uri hostUri, string workerId, IDictionary<string, string?> appSettings)
    {
        var description = JsonNode.Parse(File.ReadAllText(Path.Combine(scriptRoot, "worker.config.json")))!["description"]!;
        var program = description["defaultExecutablePath"]!.GetValue<string>();
        var workerPath = Path.Combine(scriptRoot, description["defaultWorkerPath"]!.GetValue<string>());
        return new WorkerLaunch(program, [workerPath, .. HostArguments(hostUri, workerId, Guid.NewGuid().ToString())], scriptRoot, Variables(scriptRoot, appSettings));
    }

    /// <summary>
    /// RpcWorkerContext.GetFormattedArguments: the old names, then the same values again with a "functions-"
    /// prefix. Worker 2.x reads only the prefixed ones (WorkerHostBuilderExtensions.RegisterCommandLine).
    /// </summary>
    private static IEnumerable<string> HostArguments(Uri hostUri, string workerId, string requestId)
    {
        var max = MaxMessageLength.ToString(CultureInfo.InvariantCulture);
        return
        [
            "--host", hostUri.Host, "--port", hostUri.Port.ToString(CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", max,
            "--functions-uri", hostUri.AbsoluteUri, "--functions-worker-id", workerId,
            "--functions-request-id", requestId, "--functions-grpc-max-message-length", max,
        ];
    }

    /// <summary>
    /// The worker inherits the host's environment: the app settings and the platform's own (runtime, script root).
    /// The host adds the directories (RpcWorkerProcess.CreateWorkerProcess): the worker resolves function assemblies
    /// and host.json from FUNCTIONS_APPLICATION_DIRECTORY and fails a function load without it.
    /// </summary>
    private static Dictionary<string, string?> Variables(string scriptRoot, IDictionary<string, string?> appSettings) =>
        new(appSettings)
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["FUNCTIONS_WORKER_RUNTIME_VERSION"] = $"{System.Environment.Version.Major}.0",
            ["AzureWebJobsScriptRoot"] = scriptRoot,
            ["FUNCTIONS_APPLICATION_DIRECTORY"] = scriptRoot,
            // For a worker that ships with the app (workerIndexing), the worker directory is the app's own.
            ["FUNCTIONS_WORKER_DIRECTORY"] = scriptRoot,
        };
}
