using System.Globalization;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Pages;

/// <summary>One page of the compact list: its rows in order, where it sits among the pages, and what was searched.</summary>
internal sealed record ServiceListPage(IReadOnlyList<ServiceStatusDto> Rows, int Page, int Pages, int Matches, int Total, string? Query)
{
    /// <summary>How many of the matching services are in each status (on every page, not only this one).</summary>
    public IReadOnlyDictionary<HealthStatus, int> Counts { get; init; } = new Dictionary<HealthStatus, int>();
}

/// <summary>
/// The compact list of a big catalog (beyond <see cref="Web.WebOptions.PageServices"/>): every service grouped by status,
/// problems first, then by name; searched by id or name; cut into pages of <see cref="Web.WebOptions.PageSize"/> rows.
/// </summary>
internal static class ServiceList
{
    /// <summary>Problems first, worst first; planned maintenance and not-yet-checked before the services that are up.</summary>
    public static readonly IReadOnlyList<HealthStatus> GroupOrder =
        [HealthStatus.Down, HealthStatus.Partial, HealthStatus.Degraded, HealthStatus.Maintenance, HealthStatus.Unknown, HealthStatus.Up];

    public static int PageCount(int rows, int pageSize) => Math.Max(1, (rows + pageSize - 1) / pageSize);

    /// <summary>The page's rows; null when <paramref name="page"/> is past the last page.</summary>
    public static ServiceListPage? Select(IReadOnlyList<ServiceStatusDto> all, int page, string? query, int pageSize)
    {
        var matching = string.IsNullOrWhiteSpace(query) ? all : all.Where(s => Matches(s, query.Trim())).ToList();
        var pages = PageCount(matching.Count, pageSize);
        if (page > pages)
        {
            return null;
        }
        var rows = matching.OrderBy(s => Rank(s.Status)).ThenBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Id, StringComparer.Ordinal)
            .Skip((page - 1) * pageSize).Take(pageSize).ToList();
        return new ServiceListPage(rows, page, pages, matching.Count, all.Count, string.IsNullOrWhiteSpace(query) ? null : query.Trim())
        {
            Counts = matching.GroupBy(s => s.Status).ToDictionary(g => g.Key, g => g.Count()),
        };
    }

    public static bool Matches(ServiceStatusDto s, string query) =>
        s.Id.Contains(query, StringComparison.OrdinalIgnoreCase) || s.Name.Contains(query, StringComparison.OrdinalIgnoreCase);

    private static int Rank(HealthStatus s)
    {
        for (var i = 0; i < GroupOrder.Count; i++)
        {
            if (GroupOrder[i] == s)
            {
                return i;
            }
        }
        return GroupOrder.Count;
    }
}

/// <summary>The <c>?page=</c> value: absent or empty is page 1; anything but a whole number from 1 is refused, by name.</summary>
internal static class PageNumber
{
    public static bool TryParse(string? value, out int page, out string error)
    {
        error = "";
        page = 1;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out page) && page >= 1)
        {
            return true;
        }
        page = 0;
        error = $"'{TextRules.Quote(value)}' is not a page number; use a whole number from 1.";
        return false;
    }
}
