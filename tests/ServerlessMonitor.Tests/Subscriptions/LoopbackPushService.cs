using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServerlessMonitor.Tests.Subscriptions;

/// <summary>
/// A push service on loopback that checks what a real one checks — the VAPID JWT (ES256 signature with the key in
/// <c>k</c>, <c>aud</c> = the endpoint's origin, <c>exp</c> at most 24 h ahead), TTL — and decrypts the aes128gcm body
/// (RFC 8291) with the subscriber's private key, as the browser would. <c>POST /push/{n}</c> is subscriber n.
/// </summary>
public sealed class LoopbackPushService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, BrowserKeys> _browsers = new();
    private readonly ConcurrentQueue<ReceivedPush> _received = new();
    private readonly ConcurrentQueue<string> _rejected = new();

    private readonly TimeProvider _time;

    private LoopbackPushService(WebApplication app, TimeProvider time) => (_app, _time) = (app, time);

    public string Origin { get; private set; } = "";

    /// <summary>The status answered for a subscriber (201 unless set), e.g. 410 for one the browser dropped.</summary>
    public ConcurrentDictionary<string, int> Answers { get; } = new();

    public IReadOnlyList<ReceivedPush> Received => _received.ToList();

    public IReadOnlyList<string> Rejected => _rejected.ToList();

    /// <summary>Fires each time a push was accepted; the count so far.</summary>
    public event Action<int>? Accepted;

    /// <param name="time">The clock the service judges <c>exp</c> by: the app's, as a real push service shares real time with its senders.</param>
    public static async Task<LoopbackPushService> StartAsync(TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var service = new LoopbackPushService(app, time);
        app.MapPost("/push/{n}", (string n, HttpContext http) => service.ReceiveAsync(n, http));
        await app.StartAsync();
        service.Origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return service;
    }

    /// <summary>A browser's new subscription for subscriber <paramref name="n"/>: what PushSubscription.toJSON() gives.</summary>
    public string Subscribe(string n)
    {
        var keys = _browsers.GetOrAdd(n, _ => new BrowserKeys());
        return $$$"""{"endpoint":"{{{Origin}}}/push/{{{n}}}","expirationTime":null,"keys":{"p256dh":"{{{keys.PublicB64}}}","auth":"{{{keys.AuthB64}}}"}}""";
    }

    private async Task<IResult> ReceiveAsync(string n, HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        try
        {
            var jwt = VerifyVapid(http.Request.Headers.Authorization.ToString());
            if (http.Request.Headers["Content-Encoding"] != "aes128gcm" || !int.TryParse(http.Request.Headers["TTL"], out var ttl))
            {
                throw new InvalidOperationException("Content-Encoding aes128gcm and a TTL are required");
            }
            var payload = Decrypt(_browsers[n], buffer.ToArray());
            var status = Answers.GetValueOrDefault(n, 201);
            if (status == 201)
            {
                _received.Enqueue(new ReceivedPush(n, JsonDocument.Parse(payload).RootElement.Clone(), ttl, http.Request.Headers["Urgency"].ToString(),
                    http.Request.Headers["Topic"].ToString(), jwt));
                Accepted?.Invoke(_received.Count);
            }
            return Results.StatusCode(status);
        }
        catch (Exception e) when (e is InvalidOperationException or CryptographicException or FormatException or KeyNotFoundException or JsonException)
        {
            _rejected.Enqueue($"{n}: {e.Message}");
            return Results.StatusCode(400);
        }
    }

    /// <summary>Checks <c>vapid t=…, k=…</c>; returns the JWT's claims.</summary>
    private JsonElement VerifyVapid(string authorization)
    {
        if (!authorization.StartsWith("vapid ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"not a vapid Authorization: '{authorization.Split(' ')[0]}'");
        }
        var parts = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .ToDictionary(p => p[..p.IndexOf('=')], p => p[(p.IndexOf('=') + 1)..]);
        var token = parts["t"].Split('.');
        var key = Base64Url.DecodeFromChars(parts["k"]);
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = key[1..33], Y = key[33..65] } });
        if (!ecdsa.VerifyData(Encoding.ASCII.GetBytes(token[0] + "." + token[1]), Base64Url.DecodeFromChars(token[2]), HashAlgorithmName.SHA256))
        {
            throw new InvalidOperationException("VAPID JWT signature does not verify with k");
        }
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(token[0])).RootElement;
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(token[1])).RootElement.Clone();
        var exp = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        if (header.GetProperty("alg").GetString() != "ES256" || claims.GetProperty("aud").GetString() != Origin
            || exp > _time.GetUtcNow().AddHours(24) || exp < _time.GetUtcNow())
        {
            throw new InvalidOperationException($"VAPID JWT claims refused: {claims}");
        }
        return claims;
    }

    /// <summary>RFC 8291 + RFC 8188 (one record): the browser's side.</summary>
    private static string Decrypt(BrowserKeys browser, byte[] body)
    {
        var salt = body[..16];
        var idLength = body[20];
        var serverPublic = body[21..(21 + idLength)];
        var cipher = body[(21 + idLength)..];
        _ = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        using var server = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = serverPublic[1..33], Y = serverPublic[33..65] },
        });
        var shared = browser.Key.DeriveRawSecretAgreement(server.PublicKey);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. browser.Public, .. serverPublic];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, browser.Auth, keyInfo);
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());
        var plain = new byte[cipher.Length - 16];
        using (var aes = new AesGcm(cek, 16))
        {
            aes.Decrypt(nonce, cipher[..^16], cipher[^16..], plain);
        }
        var end = Array.FindLastIndex(plain, b => b != 0);
        return plain[end] == 0x02 ? Encoding.UTF8.GetString(plain, 0, end) : throw new InvalidOperationException("no last-record padding delimiter");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class BrowserKeys
    {
        public ECDiffieHellman Key { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

        public byte[] Auth { get; } = RandomNumberGenerator.GetBytes(16);

        public byte[] Public => [0x04, .. Key.ExportParameters(false).Q.X!, .. Key.ExportParameters(false).Q.Y!];

        public string PublicB64 => Base64Url.EncodeToString(Public);

        public string AuthB64 => Base64Url.EncodeToString(Auth);
    }
}

public sealed record ReceivedPush(string Subscriber, JsonElement Payload, int Ttl, string Urgency, string Topic, JsonElement Claims)
{
    public string Title => Payload.GetProperty("title").GetString()!;

    public string Body => Payload.GetProperty("body").GetString()!;
}
