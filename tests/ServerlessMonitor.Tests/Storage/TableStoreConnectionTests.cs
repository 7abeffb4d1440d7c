using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Tables;

namespace ServerlessMonitor.Tests.Storage;

public sealed class TableStoreConnectionTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcy1ub3QtcmVhbA==";

    [Fact]
    public void FromConnectionString_DevelopmentStorage_UsesAzuriteDefaults()
    {
        var c = TableStoreConnection.FromConnectionString("UseDevelopmentStorage=true");
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", c.Endpoint.AbsoluteUri);
        Assert.True(c.UsesSharedKey);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + Key + ";EndpointSuffix=core.windows.net", "https://acct.table.core.windows.net/")]
    [InlineData("AccountName=acct;AccountKey=" + Key, "https://acct.table.core.windows.net/")]
    [InlineData("accountname=acct;accountkey=" + Key + ";endpointsuffix=core.chinacloudapi.cn", "https://acct.table.core.chinacloudapi.cn/")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Key + ";TableEndpoint=http://127.0.0.1:1234/devstoreaccount1/;", "http://127.0.0.1:1234/devstoreaccount1")]
    public void FromConnectionString_SharedKey_BuildsTableEndpoint(string connectionString, string endpoint)
    {
        var c = TableStoreConnection.FromConnectionString(connectionString);
        Assert.Equal(endpoint, c.Endpoint.AbsoluteUri);
        Assert.True(c.UsesSharedKey);
    }

    [Theory]
    [InlineData("AccountName=acct", "AccountKey is missing")]
    [InlineData("AccountKey=" + Key, "AccountName is missing")]
    [InlineData("AccountName=acct;AccountKey=not*base64*" + Key, "AccountKey is not valid base64")]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";TableEndpoint=ftp://x", "TableEndpoint")]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";DefaultEndpointsProtocol=gopher", "DefaultEndpointsProtocol")]
    [InlineData("TableEndpoint=https://x;SharedAccessSignature=sv=1&sig=" + Key, "SharedAccessSignature is not supported")]
    [InlineData("garbage", "Name=Value")]
    public void FromConnectionString_Incomplete_NamesTheProblemWithoutTheKey(string connectionString, string expected)
    {
        var e = Assert.Throws<InvalidOperationException>(() => TableStoreConnection.FromConnectionString(connectionString));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain(Key, e.Message);
    }

    [Fact]
    public void FromOptions_ServiceUri_UsesEntraId()
    {
        var c = TableStoreConnection.FromOptions(new StorageOptions
        {
            TableServiceUri = new Uri("https://acct.table.core.windows.net/"),
            ManagedIdentityClientId = "00000000-0000-0000-0000-000000000001",
        });
        Assert.False(c.UsesSharedKey);
        Assert.Equal("https://acct.table.core.windows.net/", c.Endpoint.AbsoluteUri);
        Assert.NotNull(c.CreateStore());
    }

    [Fact]
    public void FromOptions_ConnectionStringWins()
    {
        var options = new StorageOptions
        {
            ConnectionString = "UseDevelopmentStorage=true",
            TableServiceUri = new Uri("https://acct.table.core.windows.net/"),
        };
        Assert.True(TableStoreConnection.FromOptions(options).UsesSharedKey);
    }

    [Fact]
    public void FromOptions_Nothing_NamesBothSettings()
    {
        var e = Assert.Throws<InvalidOperationException>(() => TableStoreConnection.FromOptions(new StorageOptions()));
        Assert.Contains("Storage:ConnectionString", e.Message);
        Assert.Contains("Storage:TableServiceUri", e.Message);
    }
}
