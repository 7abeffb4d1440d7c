using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Push;

public class PushWiringTests
{
    [Fact]
    public async Task AddMonitor_WholeApp_OneProberPerEndpointKindIncludingPush()
    {
        await using var app = new MonitorAppFactory(PushEndToEndTests.Catalog("push-wiring"));

        var kinds = app.Services.GetServices<IProber>().Select(p => p.Kind).Order();

        Assert.Equal(Enum.GetValues<EndpointKind>(), kinds);
    }
}
