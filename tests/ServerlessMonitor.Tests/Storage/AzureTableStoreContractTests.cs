using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Tables;

namespace ServerlessMonitor.Tests.Storage;

[Collection("Azurite")]
public sealed class AzureTableStoreContractTests(AzuriteFixture azurite) : TableStoreContractTests
{
    private readonly AzureTableStore _store = TableStoreConnection.FromConnectionString(azurite.ConnectionString).CreateStore();

    protected override ITableStore Store => _store;
}
