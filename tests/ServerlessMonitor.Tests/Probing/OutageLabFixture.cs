using OutageLab;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Probing;

/// <summary>One lab per test class: classes run in parallel, each against its own ports and switches.</summary>
public sealed class OutageLabFixture : IAsyncLifetime
{
    public OutageLabServer Lab { get; private set; } = null!;

    public async Task InitializeAsync() => Lab = await OutageLabServer.StartAsync(new ManualClock());

    public async Task DisposeAsync() => await Lab.DisposeAsync();
}
