using OutageLab;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.SelfCheck;

/// <summary>
/// An outage lab that stands for "the internet" of a probing location: unplugging it closes its ports, so every
/// probe fails at network level (connection refused), as for a monitor without network; plugging it back in
/// reopens the same ports with every switch up.
/// </summary>
public sealed class UnpluggableLab : IAsyncDisposable
{
    private readonly int _httpPort;
    private readonly int _httpsPort;
    private OutageLabServer? _lab;

    private UnpluggableLab(OutageLabServer lab)
    {
        _lab = lab;
        _httpPort = lab.HttpPort;
        _httpsPort = lab.HttpsPort;
    }

    public LabSwitches Switches => (_lab ?? throw new InvalidOperationException("The lab is unplugged.")).Switches;

    public static async Task<UnpluggableLab> StartAsync() => new(await OutageLabServer.StartAsync(new ManualClock()));

    public Uri Http(string pathAndQuery) => new(new Uri($"http://127.0.0.1:{_httpPort}/"), pathAndQuery);

    public async Task UnplugAsync()
    {
        if (_lab is { } lab)
        {
            _lab = null;
            await lab.DisposeAsync();
        }
    }

    public async Task PlugInAsync() =>
        _lab ??= await OutageLabServer.StartAsync(new OutageLabOptions { HttpPort = _httpPort, HttpsPort = _httpsPort, Clock = new ManualClock() });

    public ValueTask DisposeAsync() => new(UnplugAsync());

    /// <summary>
    /// The shipped catalog's shape on this lab: TikTok, Instagram, Facebook, X and YouTube, each with an http
    /// endpoint on its own switch (<c>{prefix}{service}</c>) and a tcp endpoint on the lab's port.
    /// </summary>
    public string DefaultStyleCatalog(string switchPrefix = "") => $$"""
        { "services": [ {{string.Join(",", DefaultServices.Select(s => $$"""
            { "id": "{{s}}", "name": "{{s}}", "category": "social", "endpoints": [
                { "id": "web", "kind": "http", "url": "{{Http($"/switch/{switchPrefix}{s}")}}", "timeout": "00:00:05",
                  "conditions": ["[STATUS] < 400"] },
                { "id": "tcp", "kind": "tcp", "host": "127.0.0.1", "port": {{_httpPort}}, "timeout": "00:00:05" } ] }
            """))}} ] }
        """;

    public static readonly string[] DefaultServices = ["tiktok", "instagram", "facebook", "x", "youtube"];
}
