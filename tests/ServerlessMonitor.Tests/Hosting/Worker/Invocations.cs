using System.Security.Cryptography;
using System.Text.Json;
using System.Web;
using ServerlessMonitor.Tests.Hosting.Worker.Rpc;

namespace ServerlessMonitor.Tests.Hosting.Worker;

/// <summary>The InvocationRequests the host builds for a trigger (ScriptInvocationContextExtensions.ToRpcInvocationRequest).</summary>
internal static class Invocations
{
    /// <summary>A timer firing: the TimerInfo as JSON, under the trigger's parameter name.</summary>
    public static InvocationRequest Timer(RpcFunctionMetadata function, bool isPastDue = false)
    {
        var timerInfo = new TypedData { Json = $$"""{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":{{(isPastDue ? "true" : "false")}}}""" };
        var invocation = New(function);
        invocation.InputData.Add(new ParameterBinding { Name = TriggerName(function, "timerTrigger"), Data = timerInfo });
        return invocation;
    }

    /// <summary>
    /// An HTTP request the host matched to <paramref name="function"/>. With ASP.NET Core integration the worker
    /// takes the request itself from the proxied call; what reaches the function through the invocation is the
    /// binding data: route values bind the function's string parameters by name (the host sends them as trigger
    /// metadata), query and headers go along as JSON as the host's HTTP trigger binding data does.
    /// </summary>
    public static InvocationRequest Http(RpcFunctionMetadata function, HttpRequestMessage request, IReadOnlyDictionary<string, string> routeValues)
    {
        var url = request.RequestUri!;
        var http = new RpcHttp { Method = request.Method.Method, Url = url.AbsoluteUri };
        foreach (var header in request.Headers)
        {
            http.Headers[header.Key] = string.Join(",", header.Value);
        }
        var query = HttpUtility.ParseQueryString(url.Query);
        foreach (var key in query.AllKeys.OfType<string>())
        {
            http.Query[key] = query[key];
        }
        var invocation = New(function);
        invocation.InputData.Add(new ParameterBinding { Name = TriggerName(function, "httpTrigger"), Data = new TypedData { Http = http } });
        foreach (var (name, value) in routeValues)
        {
            http.Params[name] = value;
            invocation.TriggerMetadata[name] = new TypedData { String = value };
        }
        invocation.TriggerMetadata["Query"] = new TypedData { Json = JsonSerializer.Serialize(http.Query) };
        invocation.TriggerMetadata["Headers"] = new TypedData { Json = JsonSerializer.Serialize(http.Headers) };
        return invocation;
    }

    /// <summary>A fresh invocation id and a W3C trace parent: the worker reads the trace context of every invocation.</summary>
    private static InvocationRequest New(RpcFunctionMetadata function) => new()
    {
        InvocationId = Guid.NewGuid().ToString(),
        FunctionId = function.FunctionId,
        TraceContext = new RpcTraceContext
        {
            TraceParent = $"00-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01",
        },
    };

    private static string TriggerName(RpcFunctionMetadata function, string type) =>
        function.Bindings.Single(b => string.Equals(b.Value.Type, type, StringComparison.OrdinalIgnoreCase)).Key;
}
