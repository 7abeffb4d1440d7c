using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Pages.Fragments;

/// <summary>
/// Everything a service's section is rendered from — what was read for it, the minute it is drawn at, the page's settings —
/// named by a content hash: two reads that would render the same section have the same hash. The clock enters at the
/// minute only (<see cref="PageClock"/>), so a build later in the same minute with the same figures renders nothing again.
/// The headline figures enter as the line the section shows, not as read: the span a young figure was measured over grows
/// with every second, while the line names it in minutes ("99.2% over 3 min measured").
/// </summary>
internal readonly record struct SectionInputs(string Hash)
{
    public static SectionInputs Of(ServiceView view, DateTimeOffset minute, double minCoverage, bool emailSubscriptions)
    {
        var shown = view with { Status = view.Status with { Figures = null } };
        var section = new Section(shown, StatusPageHtml.Figures(view.Status.Figures, minCoverage), minute, minCoverage, emailSubscriptions);
        var json = JsonSerializer.SerializeToUtf8Bytes(section, FragmentJsonContext.Default.Section);
        return new(Convert.ToHexString(SHA256.HashData(json)));
    }

    internal sealed record Section(ServiceView View, string Figures, DateTimeOffset Minute, double MinCoverage, bool EmailSubscriptions);
}

/// <summary>Serializes a section's inputs for their hash only: never sent, never stored.</summary>
[JsonSerializable(typeof(SectionInputs.Section))]
internal sealed partial class FragmentJsonContext : JsonSerializerContext;

/// <summary>
/// The time a page's parts are drawn at: the minute (a section's chart window, "recent" incident updates). The page's
/// own line "Generated HH:mm UTC" already moves once a minute; parts that moved with every second re-rendered every build.
/// </summary>
internal static class PageClock
{
    public static DateTimeOffset Minute(DateTimeOffset now) =>
        new(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
