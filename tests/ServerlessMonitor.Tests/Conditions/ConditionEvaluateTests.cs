using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using static ServerlessMonitor.Tests.Conditions.ConditionTestData;

namespace ServerlessMonitor.Tests.Conditions;

/// <summary>Every placeholder except [BODY], every operator, durations and the resolved text. Ported from Gatus' condition_test.go.</summary>
public sealed class ConditionEvaluateTests
{
    [Theory]
    [InlineData("[STATUS] == 200", 200, true, "[STATUS] (200) == 200")]
    [InlineData("[STATUS] == 200", 500, false, "[STATUS] (500) == 200")]
    [InlineData("[STATUS] == 200", null, false, "[STATUS] (0) == 200")]
    [InlineData("[STATUS] == 0", null, true, "[STATUS] (0) == 0")]
    [InlineData("[STATUS] != 200", 503, true, "[STATUS] (503) != 200")]
    [InlineData("[STATUS] != 200", 200, false, "[STATUS] (200) != 200")]
    [InlineData("[STATUS] < 300", 201, true, "[STATUS] (201) < 300")]
    [InlineData("[STATUS] < 300", 404, false, "[STATUS] (404) < 300")]
    [InlineData("[STATUS] <= 299", 299, true, "[STATUS] (299) <= 299")]
    [InlineData("[STATUS] >= 500", 503, true, "[STATUS] (503) >= 500")]
    [InlineData("[STATUS] > 499", 499, false, "[STATUS] (499) > 499")]
    [InlineData("[STATUS] == 0xC8", 200, true, "[STATUS] (200) == 0xC8")]
    [InlineData("[STATUS] == any(200, 429)", 429, true, "[STATUS] (429) == any(200, 429)")]
    [InlineData("[STATUS] == any(200, 429)", 404, false, "[STATUS] (404) == any(200, 429)")]
    [InlineData("[STATUS] != any(500, 503)", 200, true, "[STATUS] (200) != any(500, 503)")]
    [InlineData("[STATUS] == pat(4*)", 404, true, "[STATUS] (404) == pat(4*)")]
    [InlineData("[STATUS] == pat(4*)", 200, false, "[STATUS] (200) == pat(4*)")]
    // Gatus accepts pat() and any() on the left as well (isEqual checks both sides).
    [InlineData("pat(4*) == [STATUS]", 404, true, "pat(4*) == [STATUS] (404)")]
    [InlineData("pat(4*) == [STATUS]", 200, false, "pat(4*) == [STATUS] (200)")]
    [InlineData("pat(5*) != [STATUS]", 200, true, "pat(5*) != [STATUS] (200)")]
    [InlineData("any(200, 429) == [STATUS]", 429, true, "any(200, 429) == [STATUS] (429)")]
    [InlineData("any(200, 429) == [STATUS]", 500, false, "any(200, 429) == [STATUS] (500)")]
    [InlineData("any(500, 503) != [STATUS]", 200, true, "any(500, 503) != [STATUS] (200)")]
    [InlineData("[status] == 200", 200, true, "[status] (200) == 200")]
    [InlineData("len([STATUS]) == 3", 200, true, "len([STATUS]) (3) == 3")]
    public void Evaluate_Status_ReturnsExpectedResult(string text, int? status, bool success, string resolved)
    {
        var result = Evaluate(text, new ProbeResponse { StatusCode = status });

        Assert.Equal((text, success, resolved), (result.Condition, result.Success, result.Resolved));
    }

    [Theory]
    [InlineData("[RESPONSE_TIME] < 500", 50, true, "[RESPONSE_TIME] (50) < 500")]
    [InlineData("[RESPONSE_TIME] < 500", 1200, false, "[RESPONSE_TIME] (1200) < 500")]
    [InlineData("[RESPONSE_TIME] < 1s", 50, true, "[RESPONSE_TIME] (50) < 1s")]
    [InlineData("[RESPONSE_TIME] > 1s", 2000, true, "[RESPONSE_TIME] (2000) > 1s")]
    [InlineData("[RESPONSE_TIME] > 500", 750, true, "[RESPONSE_TIME] (750) > 500")]
    [InlineData("[RESPONSE_TIME] >= 500", 500, true, "[RESPONSE_TIME] (500) >= 500")]
    [InlineData("[RESPONSE_TIME] >= 500", 499, false, "[RESPONSE_TIME] (499) >= 500")]
    [InlineData("[RESPONSE_TIME] <= 500", 500, true, "[RESPONSE_TIME] (500) <= 500")]
    [InlineData("[RESPONSE_TIME] <= 500", 25, true, "[RESPONSE_TIME] (25) <= 500")]
    [InlineData("[RESPONSE_TIME] <= 500", 750, false, "[RESPONSE_TIME] (750) <= 500")]
    [InlineData("[RESPONSE_TIME] < 500ms", 500.9, false, "[RESPONSE_TIME] (500) < 500ms")]
    [InlineData("[RESPONSE_TIME] < 500ms", 499.9, true, "[RESPONSE_TIME] (499) < 500ms")]
    [InlineData("[RESPONSE_TIME] < 1.5s", 1499, true, "[RESPONSE_TIME] (1499) < 1.5s")]
    [InlineData("[RESPONSE_TIME] < 1.5s", 1500, false, "[RESPONSE_TIME] (1500) < 1.5s")]
    [InlineData("[RESPONSE_TIME] < 1m30s", 89999, true, "[RESPONSE_TIME] (89999) < 1m30s")]
    [InlineData("[RESPONSE_TIME] == 120", 120, true, "[RESPONSE_TIME] (120) == 120")]
    public void Evaluate_ResponseTime_ReturnsExpectedResult(string text, double milliseconds, bool success, string resolved)
    {
        var timings = new ProbeTimings(null, null, null, null, TimeSpan.FromMilliseconds(milliseconds));

        var result = Evaluate(text, new ProbeResponse { Timings = timings });

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }

    [Theory]
    [InlineData("[CONNECTED] == true", true, true, "[CONNECTED] (true) == true")]
    [InlineData("[CONNECTED] == true", false, false, "[CONNECTED] (false) == true")]
    [InlineData("[CONNECTED] != true", false, true, "[CONNECTED] (false) != true")]
    [InlineData("[CONNECTED] == false", false, true, "[CONNECTED] (false) == false")]
    public void Evaluate_Connected_ReturnsExpectedResult(string text, bool connected, bool success, string resolved)
    {
        var result = Evaluate(text, new ProbeResponse { Connected = connected });

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }

    [Theory]
    [InlineData("[IP] == 127.0.0.1", "127.0.0.1", true, "[IP] (127.0.0.1) == 127.0.0.1")]
    [InlineData("[IP] == 127.0.0.1", null, false, "[IP] () == 127.0.0.1")]
    [InlineData("[IP] == pat(10.*)", "10.0.0.0", true, "[IP] (10.0.0.0) == pat(10.*)")]
    [InlineData("[IP] == pat(10.*)", "255.255.255.255", false, "[IP] (255.255.255.255) == pat(10.*)")]
    [InlineData("[IP] == pat(192.168.*.*)", "192.168.1.20", true, "[IP] (192.168.1.20) == pat(192.168.*.*)")]
    [InlineData("[IP] == any(1.1.1.1, 1.0.0.1)", "1.0.0.1", true, "[IP] (1.0.0.1) == any(1.1.1.1, 1.0.0.1)")]
    [InlineData("[IP] != any(1.1.1.1, 1.0.0.1)", "8.8.8.8", true, "[IP] (8.8.8.8) != any(1.1.1.1, 1.0.0.1)")]
    [InlineData("has([IP]) == true", null, false, "has([IP]) (false) == true")]
    [InlineData("has([IP]) == true", "::1", true, "has([IP]) (true) == true")]
    public void Evaluate_Ip_ReturnsExpectedResult(string text, string? ip, bool success, string resolved)
    {
        var result = Evaluate(text, new ProbeResponse { Ip = ip });

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }

    [Theory]
    [InlineData("[DNS_RCODE] == NOERROR", "NOERROR", true, "[DNS_RCODE] (NOERROR) == NOERROR")]
    [InlineData("[DNS_RCODE] == NOERROR", "NXDOMAIN", false, "[DNS_RCODE] (NXDOMAIN) == NOERROR")]
    [InlineData("[DNS_RCODE] != SERVFAIL", "NOERROR", true, "[DNS_RCODE] (NOERROR) != SERVFAIL")]
    [InlineData("[DNS_RCODE] == any(NOERROR, NXDOMAIN)", "SERVFAIL", false, "[DNS_RCODE] (SERVFAIL) == any(NOERROR, NXDOMAIN)")]
    [InlineData("[DNS_RCODE] == NOERROR", null, false, "[DNS_RCODE] () == NOERROR")]
    public void Evaluate_DnsRcode_ReturnsExpectedResult(string text, string? rcode, bool success, string resolved)
    {
        var result = Evaluate(text, new ProbeResponse { DnsRcode = rcode });

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }

    [Theory]
    [InlineData("[CERTIFICATE_EXPIRATION] == 0", null, true, "[CERTIFICATE_EXPIRATION] (0) == 0")]
    [InlineData("[CERTIFICATE_EXPIRATION] > 2419200000", 1440.0, true, "[CERTIFICATE_EXPIRATION] (1440h) > 2419200000")]
    [InlineData("[CERTIFICATE_EXPIRATION] > 2419200000", 336.0, false, "[CERTIFICATE_EXPIRATION] (336h) > 2419200000")]
    [InlineData("[CERTIFICATE_EXPIRATION] > 12h", 24.0, true, "[CERTIFICATE_EXPIRATION] (24h) > 12h")]
    [InlineData("[CERTIFICATE_EXPIRATION] > 48h", 24.0, false, "[CERTIFICATE_EXPIRATION] (24h) > 48h")]
    [InlineData("[CERTIFICATE_EXPIRATION] > 48h", null, false, "[CERTIFICATE_EXPIRATION] (0s) > 48h")]
    [InlineData("[CERTIFICATE_EXPIRATION] > 48h", -1.0, false, "[CERTIFICATE_EXPIRATION] (-1h) > 48h")]
    [InlineData("[CERTIFICATE_EXPIRATION] > 1h30m", 1.75, true, "[CERTIFICATE_EXPIRATION] (1h45m) > 1h30m")]
    [InlineData("[CERTIFICATE_EXPIRATION] >= 720h", 720.0, true, "[CERTIFICATE_EXPIRATION] (720h) >= 720h")]
    [InlineData("[CERTIFICATE_EXPIRATION] == 86400000", 24.0, true, "[CERTIFICATE_EXPIRATION] (86400000) == 86400000")]
    public void Evaluate_CertificateExpiration_ReturnsExpectedResult(string text, double? hoursLeft, bool success, string resolved)
    {
        DateTimeOffset? expiry = hoursLeft is { } h ? Now.AddHours(h) : null;

        var result = Evaluate(text, new ProbeResponse { CertificateExpiry = expiry });

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }

    [Theory]
    [InlineData("1 == 2", false, "1 == 2")]
    [InlineData("raw == raw", true, "raw == raw")]
    [InlineData("0x10 == 16", true, "0x10 == 16")]
    [InlineData("1.5 < 2", true, "1.5 < 2")]
    public void Evaluate_LiteralsOnly_ComparesWithoutPlaceholders(string text, bool success, string resolved)
    {
        var result = Evaluate(text, new ProbeResponse());

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }
}
