using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.Web;

/// <summary>Reading the served snapshot starts no work (STYLE 16); the refresh is an explicit call that never makes its caller wait.</summary>
public class ReadSnapshotsRefreshTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Current_Read_StartsNoRefresh_RefreshIfDue_StartsOneInTheBackground()
    {
        var pointerReads = new PointerReads();
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "snap-getter"))
        {
            ConfigureServices = services =>
            {
                var original = services.Last(d => d.ServiceType == typeof(ITableStore));
                services.Replace(ServiceDescriptor.Singleton<ITableStore>(sp =>
                    new SignallingStore((ITableStore)original.ImplementationFactory!(sp), pointerReads)));
            },
        };
        var snapshots = app.Services.GetRequiredService<ReadSnapshots>();

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(snapshots.Current);
        }
        // The old getter started a refresh that reads the stored pointer first; a bounded wait for a read that must not come.
        await Assert.ThrowsAsync<TimeoutException>(() => pointerReads.First.Task.WaitAsync(TimeSpan.FromSeconds(3)));

        pointerReads.Block = true;
        snapshots.RefreshIfDue(); // returns although the refresh is held in the store
        await pointerReads.First.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Null(snapshots.Current);
        pointerReads.Release.SetResult();
    }

    private sealed class PointerReads
    {
        public TaskCompletionSource First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool Block;
    }

    private sealed class SignallingStore(ITableStore inner, PointerReads reads) : DelegatingTableStore(inner)
    {
        public override async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default)
        {
            if (partitionKey == StoredSnapshots.Partition)
            {
                reads.First.TrySetResult();
                if (reads.Block)
                {
                    await reads.Release.Task.WaitAsync(ct);
                }
            }
            return await Inner.GetAsync(table, partitionKey, rowKey, ct);
        }
    }
}
