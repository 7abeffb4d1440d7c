using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OutageLab;

/// <summary>A throw-away self-signed server certificate for localhost / 127.0.0.1 that expires soon, dated from the given "now".</summary>
public static class LabCertificate
{
    /// <param name="authority">Also a CA (basic constraints, keyCertSign), so that OpenSSL accepts it as a trust anchor
    /// (SSL_CERT_FILE) for a process the test cannot configure otherwise.</param>
    public static X509Certificate2 Create(TimeSpan lifetime, DateTimeOffset now, bool authority = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=OutageLab", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(authority, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            authority ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign : X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));

        // Whole seconds: X.509 dates have no finer precision, so NotAfter reads back exactly.
        now = now.ToUniversalTime();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        using var created = request.CreateSelfSigned(now.AddDays(-1), now + lifetime);
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
