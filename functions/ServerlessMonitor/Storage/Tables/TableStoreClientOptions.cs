using Azure.Core;
using Azure.Data.Tables;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>The SDK's client settings we rely on: retries on 408/429/5xx and what its logs may show.</summary>
internal static class TableStoreClientOptions
{
    public static TableClientOptions Create()
    {
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 4;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        // Continuation and error headers help when reading logs; Authorization is never on this
        // allow-list, so Azure.Core's logging policy redacts it (and the SDK redacts SAS signatures).
        options.Diagnostics.LoggedHeaderNames.Add("x-ms-continuation-NextPartitionKey");
        options.Diagnostics.LoggedHeaderNames.Add("x-ms-continuation-NextRowKey");
        options.Diagnostics.LoggedHeaderNames.Add("x-ms-error-code");
        options.Diagnostics.LoggedHeaderNames.Add("DataServiceVersion");
        return options;
    }
}
