using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ServerlessMonitor.Probing;

/// <summary>What a TLS handshake showed about the server certificate, trusted or not.</summary>
internal sealed record CertificateObservation(DateTimeOffset? Expiry, SslPolicyErrors Errors, string ChainProblems)
{
    public bool Trusted => Errors == SslPolicyErrors.None;

    public static CertificateObservation From(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        // The chain object is reused by the runtime after the callback returns: copy what we need now.
        var problems = chain is null
            ? ""
            : string.Join(", ", chain.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct());
        DateTimeOffset? expiry = certificate is X509Certificate2 full
            ? new DateTimeOffset(full.NotAfter.ToUniversalTime(), TimeSpan.Zero)
            : null;
        return new CertificateObservation(expiry, errors, problems);
    }

    /// <summary>Why the certificate is not trusted, for people.</summary>
    public string Problem(string host)
    {
        var reasons = new List<string>();
        if (Errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            reasons.Add("no certificate was presented");
        }
        if (Errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reasons.Add($"it is not valid for {host}");
        }
        if (Errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            reasons.Add(ChainProblems.Length > 0 ? $"chain errors: {ChainProblems}" : "the chain does not validate");
        }
        return $"the certificate is not trusted ({string.Join("; ", reasons)})";
    }
}
