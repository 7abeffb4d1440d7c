using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>
/// Where the Azure Table service is and how to authorise against it: Shared Key from a storage
/// connection string, or Microsoft Entra ID (managed identity) when only the service URI is known.
/// </summary>
internal sealed class TableStoreConnection
{
    // Azurite's documented, public development account; not a secret.
    internal const string DevelopmentAccountName = "devstoreaccount1";
    internal const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string DevelopmentTableEndpoint = "http://127.0.0.1:10002/devstoreaccount1";
    private const string StorageScope = "https://storage.azure.com/.default";

    private readonly SharedKeyCredential? _sharedKey;
    private readonly TokenCredential? _token;

    private TableStoreConnection(Uri endpoint, SharedKeyCredential? sharedKey, TokenCredential? token)
    {
        Endpoint = endpoint;
        _sharedKey = sharedKey;
        _token = token;
    }

    /// <summary>The table service endpoint, e.g. https://acct.table.core.windows.net (path-style for Azurite).</summary>
    public Uri Endpoint { get; }

    public bool UsesSharedKey => _sharedKey is not null;

    /// <summary>
    /// From the Storage options: the connection string (Shared Key or Azurite) when there is one, else the
    /// table endpoint with Microsoft Entra ID and the optional user-assigned identity.
    /// </summary>
    public static TableStoreConnection FromOptions(StorageOptions options) =>
        !string.IsNullOrWhiteSpace(options.ConnectionString) ? FromConnectionString(options.ConnectionString)
        : options.TableServiceUri is { } uri ? FromServiceUri(uri, options.ManagedIdentityClientId)
        : throw new InvalidOperationException("Azure Tables storage needs Storage:ConnectionString or Storage:TableServiceUri");

    /// <summary>Entra ID via <see cref="DefaultAzureCredential"/> (managed identity in Azure, developer login locally).</summary>
    public static TableStoreConnection FromServiceUri(Uri tableServiceUri, string? managedIdentityClientId = null)
    {
        var options = new DefaultAzureCredentialOptions();
        if (!string.IsNullOrWhiteSpace(managedIdentityClientId))
        {
            options.ManagedIdentityClientId = managedIdentityClientId;
        }
        return FromServiceUri(tableServiceUri, new DefaultAzureCredential(options));
    }

    public static TableStoreConnection FromServiceUri(Uri tableServiceUri, TokenCredential credential) =>
        new(TrimSlash(tableServiceUri), null, credential);

    /// <summary>
    /// Parses an Azure Storage connection string. Errors name the missing or bad part and never
    /// include the account key.
    /// </summary>
    public static TableStoreConnection FromConnectionString(string connectionString)
    {
        var parts = Parse(connectionString);
        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var isDev) && isDev)
        {
            return new TableStoreConnection(new Uri(DevelopmentTableEndpoint),
                new SharedKeyCredential(DevelopmentAccountName, Convert.FromBase64String(DevelopmentAccountKey)), null);
        }
        if (parts.ContainsKey("SharedAccessSignature"))
        {
            throw new InvalidOperationException("storage connection string: SharedAccessSignature is not supported; use AccountName and AccountKey, or Storage:TableServiceUri with a managed identity");
        }
        var account = Required(parts, "AccountName");
        var key = Required(parts, "AccountKey");
        byte[] keyBytes;
        try
        {
            keyBytes = Convert.FromBase64String(key);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("storage connection string: AccountKey is not valid base64");
        }

        Uri endpoint;
        if (parts.TryGetValue("TableEndpoint", out var tableEndpoint))
        {
            if (!Uri.TryCreate(tableEndpoint, UriKind.Absolute, out endpoint!) || endpoint.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"storage connection string: TableEndpoint '{tableEndpoint}' is not an absolute http(s) URI");
            }
        }
        else
        {
            var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https");
            if (protocol is not ("http" or "https"))
            {
                throw new InvalidOperationException($"storage connection string: DefaultEndpointsProtocol must be http or https, got '{protocol}'");
            }
            var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            endpoint = new Uri($"{protocol}://{account}.table.{suffix}");
        }
        return new TableStoreConnection(TrimSlash(endpoint), new SharedKeyCredential(account, keyBytes), null);
    }

    public AzureTableStore CreateStore(TableStoreClientOptions? options = null)
    {
        options ??= new TableStoreClientOptions();
        HttpPipelinePolicy auth = _sharedKey is not null
            ? new SharedKeyAuthPolicy(_sharedKey)
            : new BearerTokenAuthenticationPolicy(_token!, StorageScope);
        // Per retry, so every attempt is signed with a fresh date (and a fresh token when needed).
        var pipeline = HttpPipelineBuilder.Build(options, [], [auth], new ResponseClassifier());
        return new AzureTableStore(pipeline, Endpoint);
    }

    private static Dictionary<string, string> Parse(string connectionString)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split at the first '=' only: base64 keys end with '=' padding.
            var eq = segment.IndexOf('=');
            if (eq <= 0)
            {
                throw new InvalidOperationException("storage connection string: every part must look like Name=Value");
            }
            parts[segment[..eq].Trim()] = segment[(eq + 1)..].Trim();
        }
        return parts;
    }

    private static string Required(Dictionary<string, string> parts, string name) =>
        parts.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new InvalidOperationException($"storage connection string: {name} is missing (expected AccountName and AccountKey, or UseDevelopmentStorage=true)");

    private static Uri TrimSlash(Uri uri) => new(uri.AbsoluteUri.TrimEnd('/'));
}

/// <summary>Pipeline settings: Azure.Core's retries (408/429/500/502/503/504) and logging.</summary>
internal sealed class TableStoreClientOptions : Azure.Core.ClientOptions
{
    public TableStoreClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 4;
        Retry.Delay = TimeSpan.FromMilliseconds(500);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        // Continuation and error headers help when reading logs; Authorization is never on this
        // allow-list, so Azure.Core's logging policy redacts it.
        Diagnostics.LoggedHeaderNames.Add("x-ms-continuation-NextPartitionKey");
        Diagnostics.LoggedHeaderNames.Add("x-ms-continuation-NextRowKey");
        Diagnostics.LoggedHeaderNames.Add("x-ms-error-code");
        Diagnostics.LoggedHeaderNames.Add("DataServiceVersion");
    }
}
