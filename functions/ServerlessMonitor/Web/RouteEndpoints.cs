using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace ServerlessMonitor.Web;

/// <summary>The endpoints of every route in the <see cref="RouteTable"/>, built once per app.</summary>
public sealed class RouteEndpoints(IServiceProvider services) : EndpointDataSource
{
    private readonly Lazy<IReadOnlyList<RouteEndpoint>> all = new(() => RouteTable.All.Select(r => RouteEndpointFactory.Create(r, services)).ToList());

    public override IReadOnlyList<Endpoint> Endpoints => all.Value;

    public RouteEndpoint this[string name] => all.Value.Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == name);

    public override IChangeToken GetChangeToken() => NullChangeToken.Singleton;
}
