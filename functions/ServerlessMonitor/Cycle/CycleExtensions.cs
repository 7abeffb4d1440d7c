using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Cycle;

public static class CycleExtensions
{
    /// <summary>
    /// The probe cycle (plan, probe, record, alert), the ProbeTimer function that runs it and, on Azure Functions,
    /// the probe-shards queue its shards fan out on (when the host's storage account is configured).
    /// </summary>
    public static IHostApplicationBuilder AddCycle(this IHostApplicationBuilder builder, MonitorHost host)
    {
        builder.Services.AddSingleton<EndpointStates>();
        builder.Services.AddSingleton<GlobalStep>();
        builder.Services.AddSingleton<EndpointRecorder>();
        builder.Services.AddSingleton<WriteBehind>();
        builder.Services.AddHostedService<WriteBehindOnStop>();
        builder.Services.AddSingleton<BoardWriter>();
        builder.Services.AddSingleton<CyclePublisher>();
        builder.Services.AddSingleton<ReadModel.ChangedServices>();
        builder.Services.AddSingleton<ReadModel.RareMarker>();
        builder.Services.AddSingleton<EndpointProber>();
        builder.Services.AddSingleton<ProbeWriter>();
        builder.Services.AddSingleton<ShardProbing>();
        builder.Services.AddSingleton<SelfCheckSettler>();
        builder.Services.AddSingleton<CycleSequence>();
        builder.Services.AddSingleton<ShardRunner>();
        builder.Services.AddSingleton<ShardCompletion>();
        builder.Services.AddSingleton<FanOutSelfCheck>();
        builder.Services.AddSingleton<BoardLedger>();
        builder.Services.AddSingleton<SlotRepair>();
        builder.Services.AddSingleton<ProbeCycle>();
        builder.Services.AddSingleton<ProbeShardFunction>();
        builder.Services.AddSingleton<ITimerFunction, ProbeTimerFunction>();
        if (host.BehindFunctionsHost && StorageShardQueue.FromConfiguration(builder.Configuration) is { } client)
        {
            builder.Services.AddSingleton<IShardQueue>(new StorageShardQueue(client));
        }
        return builder;
    }
}
