using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>
/// A real SMTP server (the SmtpServer package) on 127.0.0.1 that requires a login and TLS — STARTTLS on one port,
/// implicit TLS on another — with a self-signed certificate dated from the test's clock. Every message it accepts is
/// parsed as MIME by MimeKit.
/// </summary>
public sealed class SmtpLab : IAsyncDisposable
{
    public const string User = "monitor@example.com";
    public const string Password = "smtp-pa55word-secret";

    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private readonly Store _store = new();

    private SmtpLab(DateTimeOffset now)
    {
        Certificate = CreateCertificate(now);
        (StartTlsPort, ImplicitTlsPort) = (AppProcess.FreePort(), AppProcess.FreePort());
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, StartTlsPort)).IsSecure(false).Certificate(Certificate)
                .AuthenticationRequired().AllowUnsecureAuthentication(false))
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, ImplicitTlsPort)).IsSecure(true).Certificate(Certificate)
                .AuthenticationRequired())
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        services.Add(new Login());
        services.Add(new Recipients(Refused));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public X509Certificate2 Certificate { get; }

    public string Sha256 => Convert.ToHexString(SHA256.HashData(Certificate.RawData));

    public int StartTlsPort { get; }

    public int ImplicitTlsPort { get; }

    public IReadOnlyList<MimeMessage> Messages => [.. _store.Messages];

    /// <summary>Recipients the server refuses for good (550 to RCPT TO), as a mailbox that does not exist.</summary>
    public ConcurrentDictionary<string, bool> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static SmtpLab Start(DateTimeOffset now) => new(now);

    /// <summary>Valid from a day before <paramref name="now"/> for 30 days: by the test's clock, never the machine's.</summary>
    private static X509Certificate2 CreateCertificate(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _server.Shutdown();
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Certificate.Dispose();
        _stop.Dispose();
    }

    private sealed class Login : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken) =>
            Task.FromResult(user == User && password == Password);
    }

    private sealed class Recipients(ConcurrentDictionary<string, bool> refused) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, SmtpServer.Mail.IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, SmtpServer.Mail.IMailbox to, SmtpServer.Mail.IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!refused.ContainsKey($"{to.User}@{to.Host}"));
    }

    private sealed class Store : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(MimeMessage.Load(stream, cancellationToken));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
