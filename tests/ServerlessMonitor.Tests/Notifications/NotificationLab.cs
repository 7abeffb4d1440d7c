using OutageLab;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>A fake per web provider and the settings that make each one a channel of the app; lab catalogs of multi-endpoint services.</summary>
public sealed class NotificationLab : IAsyncDisposable
{
    private NotificationLab(Dictionary<ChannelKind, ProviderFake> fakes, SmtpLab smtp) => (Fakes, Smtp) = (fakes, smtp);

    public IReadOnlyDictionary<ChannelKind, ProviderFake> Fakes { get; }

    /// <summary>The email channel's SMTP server, its certificate dated from <see cref="ManualClock.Epoch"/> like the app's clock.</summary>
    public SmtpLab Smtp { get; }

    public static async Task<NotificationLab> StartAsync()
    {
        var fakes = new Dictionary<ChannelKind, ProviderFake>();
        foreach (var kind in ChannelRig.WebKinds)
        {
            fakes[kind] = await ChannelRig.FakeAsync(kind);
        }
        return new NotificationLab(fakes, SmtpLab.Start(ManualClock.Epoch));
    }

    /// <summary>One channel per provider, named after it.</summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (kind, fake) in Fakes)
        {
            foreach (var (k, v) in ChannelRig.Settings(kind, fake.Url, kind.ToString().ToLowerInvariant()))
            {
                settings[k] = v;
            }
        }
        const string email = "Notifications:Channels:email:";
        settings[email + "Type"] = "email";
        settings[email + "Host"] = "127.0.0.1";
        settings[email + "Port"] = Smtp.StartTlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings[email + "Username"] = SmtpLab.User;
        settings[email + "Password"] = SmtpLab.Password;
        settings[email + "From"] = "monitor@example.com";
        settings[email + "To:0"] = "oncall@example.com";
        settings[email + "ServerCertificateSha256"] = Smtp.Sha256;
        return settings;
    }

    /// <summary>Services each of whose endpoints answers from its own lab switch <c>{service}-{endpoint}</c>; thresholds of 1.</summary>
    public static string Catalog(OutageLabServer lab, IEnumerable<(string Service, string[] Endpoints, string? DependsOn)> services) => $$"""
        { "services": [ {{string.Join(",", services.Select(s => $$"""
            { "id": "{{s.Service}}", "name": "Lab {{s.Service}}", "category": "lab",{{(s.DependsOn is null ? "" : $" \"dependsOn\": [\"{s.DependsOn}\"],")}} "endpoints": [
                {{string.Join(",", s.Endpoints.Select(e => $$"""
                { "id": "{{e}}", "kind": "http", "url": "{{lab.Http($"/switch/{s.Service}-{e}")}}", "interval": "00:01:00", "timeout": "00:00:05",
                  "failureThreshold": 1, "successThreshold": 1, "conditions": ["[STATUS] == 200"] }
                """))}} ] }
            """))}} ] }
        """;

    public async ValueTask DisposeAsync()
    {
        foreach (var fake in Fakes.Values)
        {
            await fake.DisposeAsync();
        }
        await Smtp.DisposeAsync();
    }
}
