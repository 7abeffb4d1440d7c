namespace ServerlessMonitor.Tests.Hosting;

/// <summary>
/// The classes that test the published Functions app share one publish and run one after another: two
/// `dotnet publish` runs of the same project at once would race in its obj/ folder.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PublishedFunctionsCollection : ICollectionFixture<PublishedFunctionsApp>
{
    public const string Name = "Published Functions app";
}
