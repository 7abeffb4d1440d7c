using OutageLab;

namespace ServerlessMonitor.Tests.Support;

/// <summary>A test class with its own outage lab (probe targets on loopback), started before each test and stopped after it.</summary>
public abstract class LabTest : IAsyncLifetime
{
    protected OutageLabServer Lab { get; private set; } = null!;

    public async Task InitializeAsync() => Lab = await OutageLabServer.StartAsync(new ManualClock());

    public async Task DisposeAsync() => await Lab.DisposeAsync();
}
