using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// The application server's VAPID key pair (RFC 8292) as base64url: the public key is the uncompressed P-256 point
/// (65 bytes) browsers get as <c>applicationServerKey</c>, the private key its 32-byte scalar. Never logged.
/// </summary>
public sealed record VapidKeys(string PublicKey, string PrivateKey)
{
    public static VapidKeys Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = key.ExportParameters(includePrivateParameters: true);
        return new VapidKeys(Base64Url.EncodeToString([0x04, .. p.Q.X!, .. p.Q.Y!]), Base64Url.EncodeToString(p.D!));
    }

    public static bool IsPublicKey(string? value) => TryDecode(value, 65) is [0x04, ..];

    public static bool IsPrivateKey(string? value) => TryDecode(value, 32) is not null;

    /// <summary>
    /// The pair stored at <paramref name="path"/>, or a new one written there (readable by the owner only) when there is none:
    /// what the standalone host does on its first run without configured keys, so subscriptions survive restarts.
    /// </summary>
    public static VapidKeys LoadOrCreate(string path) =>
        Parse(path, Hosting.FirstFileWins.ReadOrCreate(path, () =>
        {
            var keys = Generate();
            return $$"""{"publicKey":"{{keys.PublicKey}}","privateKey":"{{keys.PrivateKey}}"}""";
        }));

    private static VapidKeys Parse(string path, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var stored = new VapidKeys(doc.RootElement.GetProperty("publicKey").GetString()!, doc.RootElement.GetProperty("privateKey").GetString()!);
        return IsPublicKey(stored.PublicKey) && IsPrivateKey(stored.PrivateKey)
            ? stored
            : throw new InvalidOperationException($"The VAPID key file {path} does not hold a P-256 key pair; delete it to have a new pair made.");
    }

    internal static byte[]? TryDecode(string? value, int length)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 200)
        {
            return null;
        }
        try
        {
            var bytes = Base64Url.DecodeFromChars(value.TrimEnd('='));
            return bytes.Length == length ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
