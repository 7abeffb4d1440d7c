using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>An account name and its decoded key. ToString is overridden so the key never reaches a log.</summary>
internal sealed class SharedKeyCredential(string accountName, byte[] key)
{
    public string AccountName { get; } = accountName;

    public string Sign(string stringToSign)
    {
        using var hmac = new HMACSHA256(key);
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
    }

    public override string ToString() => $"SharedKey({AccountName})";
}

/// <summary>
/// Signs each attempt with the Table service flavour of Shared Key:
/// VERB\nContent-MD5\nContent-Type\nDate\nCanonicalizedResource, where Date is x-ms-date and the
/// resource is /{account}{escaped path}[?comp=…]. For path-style endpoints (Azurite) the path
/// already starts with the account, so the account appears twice; that is what the service expects.
/// </summary>
internal sealed class SharedKeyAuthPolicy(SharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        request.Headers.SetValue("x-ms-date", date);
        var stringToSign = BuildStringToSign(request.Method.Method, Header(request, "Content-MD5"),
            Header(request, "Content-Type"), date, request.Uri.ToUri(), credential.AccountName);
        request.Headers.SetValue("Authorization", $"SharedKey {credential.AccountName}:{credential.Sign(stringToSign)}");
    }

    internal static string BuildStringToSign(string method, string contentMd5, string contentType, string date, Uri uri, string account)
    {
        var resource = new StringBuilder("/").Append(account);
        // AbsolutePath is the escaped path, exactly as it goes on the wire.
        resource.Append(uri.AbsolutePath.Length > 0 ? uri.AbsolutePath : "/");
        var comp = CompParameter(uri.Query);
        if (comp is not null)
        {
            resource.Append("?comp=").Append(comp);
        }
        return string.Join('\n', method.ToUpperInvariant(), contentMd5, contentType, date, resource.ToString());
    }

    private static string? CompParameter(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("comp=", StringComparison.OrdinalIgnoreCase))
            {
                return pair["comp=".Length..];
            }
        }
        return null;
    }

    private static string Header(Request request, string name) =>
        request.Headers.TryGetValue(name, out var value) ? value : "";
}
