using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Cycle;

namespace ServerlessMonitor.Benchmarks;

/// <summary>Times the cycle listeners (the read snapshot build) so the engine's own time can be told apart.</summary>
internal sealed class TimedListener(ICycleListener inner, TimedListener.Total total) : ICycleListener
{
    public async Task CycleCompletedAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var transactions = total.Transactions();
        await inner.CycleCompletedAsync(ct);
        total.Add(Stopwatch.GetElapsedTime(started), Process.GetCurrentProcess().TotalProcessorTime - cpu, GC.GetTotalAllocatedBytes() - allocated,
            total.Transactions() - transactions);
    }

    public static void Wrap(IServiceCollection services, Total total)
    {
        foreach (var d in services.Where(d => d.ServiceType == typeof(ICycleListener)).ToList())
        {
            services.Remove(d);
            services.AddSingleton<ICycleListener>(sp => new TimedListener((ICycleListener)ActivatorUtilities.CreateInstance(sp, d.ImplementationType!), total));
        }
    }

    public sealed class Total
    {
        private long _ticks;
        private long _cpuTicks;
        private long _allocated;
        private long _transactions;

        /// <summary>The store's transaction count so far (the snapshot's own writes are told apart from the probes').</summary>
        public Func<long> Transactions { get; set; } = () => 0;

        public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        /// <summary>Process CPU time while the listeners ran (nothing else runs then: the cycle waits for them).</summary>
        public TimeSpan Cpu => TimeSpan.FromTicks(Interlocked.Read(ref _cpuTicks));

        /// <summary>Bytes allocated while the listeners ran (by every thread: the cycle waits for them).</summary>
        public long Allocated => Interlocked.Read(ref _allocated);

        public long SnapshotTransactions => Interlocked.Read(ref _transactions);

        public void Add(TimeSpan t, TimeSpan cpu, long allocated, long transactions)
        {
            Interlocked.Add(ref _allocated, allocated);
            Interlocked.Add(ref _ticks, t.Ticks);
            Interlocked.Add(ref _cpuTicks, cpu.Ticks);
            Interlocked.Add(ref _transactions, transactions);
        }

        public void Reset()
        {
            Interlocked.Exchange(ref _ticks, 0);
            Interlocked.Exchange(ref _cpuTicks, 0);
            Interlocked.Exchange(ref _allocated, 0);
            Interlocked.Exchange(ref _transactions, 0);
        }
    }
}
