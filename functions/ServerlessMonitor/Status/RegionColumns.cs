using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Status;

/// <summary>One region's state of an endpoint, as its last probe left it.</summary>
public sealed record RegionRow(string Region, HealthStatus Status, DateTimeOffset? Since, DateTimeOffset? LastCheck);

/// <summary>
/// A region's columns on a board row: <c>Region_{name}_Status</c>, <c>_Since</c> and <c>_LastCheck</c>, the name's
/// '-' written as '_' (property names are identifiers; region names have no '_', so the name reads back).
/// </summary>
internal sealed record RegionColumns(string Status, string Since, string LastCheck)
{
    private const string Prefix = "Region_";
    private const string StatusSuffix = "_Status";

    public static RegionColumns For(string region)
    {
        var name = Prefix + region.Replace('-', '_');
        return new(name + StatusSuffix, name + "_Since", name + "_LastCheck");
    }

    public static IReadOnlyList<RegionRow> Read(TableEntity e)
    {
        List<RegionRow>? regions = null;
        foreach (var property in e.Properties.Keys)
        {
            if (property.StartsWith(Prefix, StringComparison.Ordinal) && property.EndsWith(StatusSuffix, StringComparison.Ordinal))
            {
                var region = property[Prefix.Length..^StatusSuffix.Length].Replace('_', '-');
                var columns = For(region);
                (regions ??= []).Add(new RegionRow(region, HealthStatusText.ParseWire(e.GetString(columns.Status)), e.GetDate(columns.Since), e.GetDate(columns.LastCheck)));
            }
        }
        return regions is null ? [] : [.. regions.OrderBy(r => r.Region, StringComparer.Ordinal)];
    }
}
