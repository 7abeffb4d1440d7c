using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Probing;

/// <summary>
/// Maps transport exceptions to an <see cref="ErrorKind"/> and a message built from error codes and
/// host:port only. Runtime messages are avoided on purpose: they may quote the full URL (with query
/// tokens or user info), and request headers never appear at all.
/// </summary>
internal static class ProbeErrors
{
    public static (ErrorKind Kind, string Message) Classify(Exception failure, string target)
    {
        var chain = Chain(failure).ToList();
        if (chain.OfType<RedirectRefusedException>().FirstOrDefault() is { } refused)
        {
            return (ErrorKind.Redirects, refused.Message);
        }
        if (chain.OfType<AuthenticationException>().FirstOrDefault() is { } tls)
        {
            // Our own untrusted-certificate message and SslStream's handshake messages name no secrets.
            return (ErrorKind.Tls, $"TLS with {target} failed: {tls.Message}");
        }
        if (chain.OfType<SocketException>().FirstOrDefault() is { } socket)
        {
            return FromSocket(socket.SocketErrorCode, target);
        }
        if (chain.OfType<TimeoutException>().Any())
        {
            return (ErrorKind.Timeout, $"{target} timed out");
        }
        if (chain.OfType<HttpRequestException>().FirstOrDefault() is { } http)
        {
            return http.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => (ErrorKind.Dns, $"could not resolve {target}"),
                HttpRequestError.SecureConnectionError => (ErrorKind.Tls, $"TLS with {target} failed"),
                HttpRequestError.ResponseEnded => (ErrorKind.Network, $"{target} closed the connection before the response was complete"),
                HttpRequestError.InvalidResponse => (ErrorKind.Network, $"{target} sent an invalid HTTP response"),
                HttpRequestError.ConfigurationLimitExceeded => (ErrorKind.Network, $"{target} sent response headers that are too large"),
                _ => (ErrorKind.Network, $"HTTP exchange with {target} failed ({http.HttpRequestError})"),
            };
        }
        if (chain.OfType<IOException>().Any())
        {
            return (ErrorKind.Network, $"the connection to {target} was interrupted");
        }
        return (ErrorKind.Network, $"probing {target} failed ({failure.GetType().Name})");
    }

    private static (ErrorKind, string) FromSocket(SocketError error, string target) => error switch
    {
        SocketError.HostNotFound => (ErrorKind.Dns, $"could not resolve {target}: the name does not exist"),
        SocketError.NoData => (ErrorKind.Dns, $"could not resolve {target}: the name has no address records"),
        SocketError.TryAgain or SocketError.NoRecovery => (ErrorKind.Dns, $"could not resolve {target}: the DNS server failed"),
        SocketError.ConnectionRefused => (ErrorKind.Refused, $"connection refused by {target}"),
        SocketError.TimedOut => (ErrorKind.Timeout, $"connecting to {target} timed out"),
        SocketError.ConnectionReset => (ErrorKind.Network, $"{target} reset the connection"),
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => (ErrorKind.Network, $"{target} is unreachable"),
        _ => (ErrorKind.Network, $"network error talking to {target} ({error})"),
    };

    private static IEnumerable<Exception> Chain(Exception failure)
    {
        for (var current = failure; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}
