using ServerlessMonitor.Catalog;
using ServerlessMonitor.Cycle;

namespace ServerlessMonitor.Tests.Cycle;

public sealed class FanOutSelfCheckTests
{
    [Fact]
    public void Sample_ManyServices_OneEndpointEachOfTenSpreadOverTheCatalog()
    {
        var sample = FanOutSelfCheck.Sample(Due(services: 95, endpointsEach: 3));

        Assert.Equal(FanOutSelfCheck.SampleServices, sample.Count);
        Assert.Equal(sample.Count, sample.Select(s => s.Service.Id).Distinct().Count());
        Assert.All(sample, s => Assert.Equal("e0", s.Endpoint.Id));
        // Every 10th service: the first and the last sampled are far apart, not the first ten.
        Assert.Equal(["s00", "s10", "s20", "s30", "s40", "s50", "s60", "s70", "s80", "s90"], sample.Select(s => s.Service.Id));
    }

    [Fact]
    public void Sample_FewServices_EveryService()
    {
        var sample = FanOutSelfCheck.Sample(Due(services: 4, endpointsEach: 2));

        Assert.Equal(["s00", "s01", "s02", "s03"], sample.Select(s => s.Service.Id));
    }

    [Fact]
    public void Sample_NothingDue_Empty() => Assert.Empty(FanOutSelfCheck.Sample([]));

    private static List<(ServiceDefinition, EndpointDefinition)> Due(int services, int endpointsEach) =>
        Enumerable.Range(0, services).SelectMany(i =>
        {
            var endpoints = Enumerable.Range(0, endpointsEach)
                .Select(e => new EndpointDefinition { Id = $"e{e}", Kind = EndpointKind.Http, Url = new Uri($"https://s{i}.example/{e}") }).ToList();
            var service = new ServiceDefinition($"s{i:D2}", $"S{i}", "test", endpoints);
            return endpoints.Select(e => (service, e));
        }).ToList();
}
