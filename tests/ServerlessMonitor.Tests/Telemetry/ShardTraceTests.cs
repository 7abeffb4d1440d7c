using System.Diagnostics;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Telemetry;

namespace ServerlessMonitor.Tests.Telemetry;

public sealed class ShardTraceTests : IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = s => s.Name == MonitorTelemetry.Name,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public ShardTraceTests() => ActivitySource.AddActivityListener(_listener);

    [Fact]
    public void Start_MessageStampedInTheCycle_ShardSpanLinksToTheCycleAndJoinsItsTrace()
    {
        var shard = new ProbeShard(DateTimeOffset.UnixEpoch, 0, 2, [new ShardEndpoint("svc", "web")]);
        string message;
        ActivityContext cycle;
        using (var scope = MonitorTelemetry.StartCycle())
        {
            cycle = scope.Activity!.Context;
            message = ShardTrace.Stamp(shard).ToJson();
        }

        using var run = ShardTrace.Start(ProbeShard.FromJson(message));
        var span = Activity.Current!;

        Assert.Contains("\"traceparent\":\"00-", message);
        Assert.Equal((cycle.TraceId, cycle.SpanId), (span.TraceId, span.ParentSpanId));
        Assert.Contains(span.Links, l => l.Context.TraceId == cycle.TraceId && l.Context.SpanId == cycle.SpanId);
    }

    [Fact]
    public void Stamp_NoCurrentSpan_MessageCarriesNoTraceparent()
    {
        var shard = new ProbeShard(DateTimeOffset.UnixEpoch, 0, 1, [new ShardEndpoint("svc", "web")]);
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            Assert.DoesNotContain("traceparent", ShardTrace.Stamp(shard).ToJson());
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    public void Dispose() => _listener.Dispose();
}
