using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>What a confirmation link carries: the address and service to subscribe, until when.</summary>
public sealed record ConfirmRequest(string Service, string Address, DateTimeOffset Expires);

/// <summary>
/// The one home of the email flow's secrets-derived formats. A confirmation token is
/// <c>base64url(nonce | AES-GCM(expiry, service, address)) "." base64url(HMAC-SHA256)</c>: signed with a key derived from
/// <c>Subscriptions:SigningKey</c>, and encrypted so that the address does not appear in the link (links end up in
/// proxy and server logs). Nothing is stored before confirmation. <see cref="AddressKey"/> is the keyed hash the
/// per-address limit counts under: the address itself is never a key.
/// </summary>
public sealed class EmailTokens
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _encryptionKey;
    private readonly byte[] _macKey;
    private readonly byte[] _addressKey;

    public EmailTokens(string signingKey)
    {
        var key = Encoding.UTF8.GetBytes(signingKey);
        _encryptionKey = Derive(key, "serverlessmonitor/email/confirm/encrypt");
        _macKey = Derive(key, "serverlessmonitor/email/confirm/mac");
        _addressKey = Derive(key, "serverlessmonitor/email/address");
    }

    public string CreateConfirm(ConfirmRequest request)
    {
        var plain = Encoding.UTF8.GetBytes($"{request.Service}\n{request.Address}");
        var sealedBytes = new byte[NonceSize + 8 + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var body = new byte[8 + plain.Length];
        BinaryPrimitives.WriteInt64BigEndian(body, request.Expires.ToUnixTimeSeconds());
        plain.CopyTo(body, 8);
        using (var aes = new AesGcm(_encryptionKey, TagSize))
        {
            aes.Encrypt(nonce, body, sealedBytes.AsSpan(NonceSize, body.Length), sealedBytes.AsSpan(NonceSize + body.Length, TagSize));
        }
        return $"{WebEncoders.Base64UrlEncode(sealedBytes)}.{WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_macKey, sealedBytes))}";
    }

    /// <summary>The request, or null with the reason when the token is malformed, not ours, tampered with or expired.</summary>
    public ConfirmRequest? ReadConfirm(string? token, DateTimeOffset now, out string? problem)
    {
        problem = "the link is incomplete or was changed";
        var dot = token?.IndexOf('.') ?? -1;
        if (token is null || dot <= 0 || token.Length > 2048 || !TryDecode(token[..dot], out var sealedBytes) || !TryDecode(token[(dot + 1)..], out var mac)
            || sealedBytes.Length < NonceSize + 8 + TagSize
            || !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_macKey, sealedBytes), mac))
        {
            return null;
        }
        var body = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_encryptionKey, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, body.Length), sealedBytes.AsSpan(NonceSize + body.Length), body);
        }
        catch (CryptographicException)
        {
            return null;
        }
        var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(body));
        var parts = Encoding.UTF8.GetString(body, 8, body.Length - 8).Split('\n', 2);
        if (parts.Length != 2)
        {
            return null;
        }
        if (now > expires)
        {
            problem = "the link has expired: subscribe again to get a new one";
            return null;
        }
        problem = null;
        return new ConfirmRequest(parts[0], parts[1], expires);
    }

    /// <summary>A keyed hash of the normalised address (32 hex digits): what per-address limits count under.</summary>
    public string AddressKey(string address) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_addressKey, Encoding.UTF8.GetBytes(EmailAddresses.Normalize(address))))[..32];

    private static byte[] Derive(byte[] key, string purpose) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(purpose));

    private static bool TryDecode(string text, out byte[] bytes)
    {
        try
        {
            bytes = WebEncoders.Base64UrlDecode(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
