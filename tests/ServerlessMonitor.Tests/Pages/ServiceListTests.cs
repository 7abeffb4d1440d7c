using ServerlessMonitor.Pages;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>The compact list of a big catalog: order, search and paging, and the page number's parsing.</summary>
public class ServiceListTests
{
    [Fact]
    public void Select_MixedStatuses_ProblemsFirstWorstFirstThenByName()
    {
        var all = new[]
        {
            Service("a-up", "Alpha", HealthStatus.Up), Service("z-down", "Zulu", HealthStatus.Down), Service("m-unknown", "Mike", HealthStatus.Unknown),
            Service("b-degraded", "Bravo", HealthStatus.Degraded), Service("c-down", "Charlie", HealthStatus.Down), Service("p-partial", "Papa", HealthStatus.Partial),
            Service("x-maint", "Xray", HealthStatus.Maintenance),
        };

        var page = ServiceList.Select(all, 1, null, 10)!;

        Assert.Equal(["c-down", "z-down", "p-partial", "b-degraded", "x-maint", "m-unknown", "a-up"], page.Rows.Select(r => r.Id));
        Assert.Equal(2, page.Counts[HealthStatus.Down]);
        Assert.Equal(1, page.Pages);
    }

    [Fact]
    public void Select_SecondPage_RowsAfterTheFirstPageAndCountsOfAllPages()
    {
        var all = Enumerable.Range(0, 25).Select(i => Service($"s{i:00}", $"Service {i:00}", i % 10 == 0 ? HealthStatus.Down : HealthStatus.Up)).ToList();

        var first = ServiceList.Select(all, 1, null, 10)!;
        var second = ServiceList.Select(all, 2, null, 10)!;
        var third = ServiceList.Select(all, 3, null, 10)!;

        Assert.Equal(["s00", "s10", "s20", "s01"], first.Rows.Take(4).Select(r => r.Id));
        Assert.Empty(first.Rows.Select(r => r.Id).Intersect(second.Rows.Select(r => r.Id)));
        Assert.Equal(5, third.Rows.Count);
        Assert.Equal(3, second.Pages);
        Assert.Equal(3, second.Counts[HealthStatus.Down]);
        Assert.Null(ServiceList.Select(all, 4, null, 10));
    }

    [Theory]
    [InlineData("tik", new[] { "tiktok" })]
    [InlineData("GRAM", new[] { "ig" })]
    [InlineData("  you  ", new[] { "youtube" })]
    [InlineData("IG", new[] { "ig" })]
    [InlineData("o", new[] { "tiktok", "youtube" })]
    [InlineData("nothing-like-it", new string[0])]
    public void Select_Query_MatchesIdOrNameIgnoringCase(string query, string[] expected)
    {
        var all = new[] { Service("tiktok", "TikTok", HealthStatus.Up), Service("ig", "Instagram", HealthStatus.Up), Service("youtube", "YouTube", HealthStatus.Up) };

        var page = ServiceList.Select(all, 1, query, 10)!;

        Assert.Equal(expected.Order(), page.Rows.Select(r => r.Id).Order());
        Assert.Equal(query.Trim(), page.Query);
        Assert.Equal(3, page.Total);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("", 1)]
    [InlineData("1", 1)]
    [InlineData("12", 12)]
    public void TryParse_PageNumber_Accepted(string? value, int expected)
    {
        Assert.True(PageNumber.TryParse(value, out var page, out _));
        Assert.Equal(expected, page);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData(" 2")]
    [InlineData("+2")]
    [InlineData("99999999999")]
    public void TryParse_NotAPageNumber_RefusedNamingTheValue(string value)
    {
        Assert.False(PageNumber.TryParse(value, out _, out var error));
        Assert.Contains($"'{value}' is not a page number", error);
    }

    private static ServiceStatusDto Service(string id, string name, HealthStatus status) =>
        new(id, name, "test", status, null, null, [], null, []);
}
