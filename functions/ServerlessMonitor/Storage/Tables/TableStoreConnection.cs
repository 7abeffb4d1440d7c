using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>
/// Where the Azure Table service is and how to authorise against it: Shared Key from a storage
/// connection string, or Microsoft Entra ID (managed identity) when only the service URI is known.
/// We parse the connection string ourselves, although the SDK could, so that a bad one fails
/// options validation at startup with a message that names the part and never echoes the key.
/// </summary>
internal sealed class TableStoreConnection
{
    // Azurite's documented, public development account; not a secret.
    internal const string DevelopmentAccountName = "devstoreaccount1";
    internal const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string DevelopmentTableEndpoint = "http://127.0.0.1:10002/devstoreaccount1";

    private readonly TableSharedKeyCredential? _sharedKey;
    private readonly TokenCredential? _token;

    private TableStoreConnection(Uri endpoint, TableSharedKeyCredential? sharedKey, TokenCredential? token)
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
                new TableSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey), null);
        }
        if (parts.ContainsKey("SharedAccessSignature"))
        {
            throw new InvalidOperationException("storage connection string: SharedAccessSignature is not supported; use AccountName and AccountKey, or Storage:TableServiceUri with a managed identity");
        }
        var account = Required(parts, "AccountName");
        var key = Required(parts, "AccountKey");
        if (!IsBase64(key))
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
        return new TableStoreConnection(TrimSlash(endpoint), new TableSharedKeyCredential(account, key), null);
    }

    /// <summary>The store on the SDK's clients; <paramref name="options"/> defaults to <see cref="TableStoreClientOptions.Create"/>.</summary>
    public AzureTableStore CreateStore(TableClientOptions? options = null)
    {
        options ??= TableStoreClientOptions.Create();
        var service = _sharedKey is not null
            ? new TableServiceClient(Endpoint, _sharedKey, options)
            : new TableServiceClient(Endpoint, _token!, options);
        return new AzureTableStore(service);
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

    private static bool IsBase64(string key) => Convert.TryFromBase64String(key, new byte[key.Length], out _);

    private static Uri TrimSlash(Uri uri) => new(uri.AbsoluteUri.TrimEnd('/'));
}
