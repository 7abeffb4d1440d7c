using System.Text.Json;
using System.Text.RegularExpressions;
using Cronos;

namespace ServerlessMonitor.Catalog;

/// <summary>
/// Reads what a push endpoint expects: <c>every</c> or <c>cron</c> (+ <c>timeZone</c>), <c>grace</c>, <c>maxRunTime</c>,
/// <c>tokenSetting</c>. Cron comes from Cronos rather than NCrontab.Signed (which runs the monitor's own timers):
/// a job's schedule is written in its owner's local time, and only Cronos computes occurrences in an IANA time
/// zone across daylight-saving changes.
/// </summary>
internal static partial class PushExpectationReader
{
    public static readonly string[] Props = ["every", "cron", "timeZone", "grace", "maxRunTime", "tokenSetting"];

    public static PushExpectation? Read(JsonReaderContext r, JsonElement e, string path)
    {
        var errorsBefore = r.Errors.Count;
        var hasEvery = e.TryGetProperty("every", out _);
        var hasCron = e.TryGetProperty("cron", out _);
        if (hasEvery == hasCron)
        {
            r.Error(path, "a push endpoint needs exactly one of 'every' (a period, e.g. \"00:05:00\") or 'cron' (e.g. \"0 2 * * *\")");
        }
        TimeSpan? every = hasEvery ? r.Duration(e, path, "every", null, TimeSpan.FromSeconds(5), TimeSpan.FromDays(400)) : null;
        var (cronText, schedule) = hasCron ? ReadCron(r, e, path) : (null, null);
        var zone = ReadTimeZone(r, e, path, hasCron);
        var grace = r.Duration(e, path, "grace", TimeSpan.FromMinutes(1), TimeSpan.Zero, TimeSpan.FromDays(7));
        TimeSpan? maxRunTime = e.TryGetProperty("maxRunTime", out _)
            ? r.Duration(e, path, "maxRunTime", null, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7))
            : null;
        var setting = r.String(e, path, "tokenSetting", maxLength: 200);
        if (setting is not null && !SettingPattern().IsMatch(setting))
        {
            r.Error($"{path}.tokenSetting", "must name an app setting (letters, digits, '_', ':', '.', '-'), not hold the token itself");
        }
        return r.Errors.Count > errorsBefore
            ? null
            : new PushExpectation
            {
                Every = every, Cron = cronText, Schedule = schedule, TimeZone = zone, Grace = grace, MaxRunTime = maxRunTime, TokenSetting = setting,
            };
    }

    /// <summary>Push-only fields on another kind are a mistake worth naming (the endpoint would silently ignore them).</summary>
    public static void RejectOn(JsonReaderContext r, JsonElement e, string path, string kind)
    {
        foreach (var name in Props.Where(p => e.TryGetProperty(p, out _)))
        {
            r.Error($"{path}.{name}", $"only for kind 'push' (this endpoint is '{TextRules.Quote(kind)}')");
        }
    }

    private static (string?, CronExpression?) ReadCron(JsonReaderContext r, JsonElement e, string path)
    {
        var text = r.String(e, path, "cron", required: true, maxLength: 200);
        if (text is null)
        {
            return (null, null);
        }
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            r.Error($"{path}.cron", $"'{TextRules.Quote(text)}' has {fields} fields; expected 5 (minute hour day month weekday) or 6 (seconds first)");
            return (null, null);
        }
        try
        {
            return (text, CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard));
        }
        catch (CronFormatException x)
        {
            r.Error($"{path}.cron", $"'{TextRules.Quote(text)}' is not a cron expression: {x.Message}");
            return (null, null);
        }
    }

    private static TimeZoneInfo ReadTimeZone(JsonReaderContext r, JsonElement e, string path, bool hasCron)
    {
        var text = r.String(e, path, "timeZone", maxLength: 100);
        if (text is null)
        {
            return TimeZoneInfo.Utc;
        }
        if (!hasCron)
        {
            r.Error($"{path}.timeZone", "only with 'cron' ('every' counts from the last beat, whatever the zone)");
            return TimeZoneInfo.Utc;
        }
        // IANA ids only ("Europe/Berlin"): the catalog must mean the same on Linux and Windows hosts.
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(text, out var zone) || !zone.HasIanaId)
        {
            r.Error($"{path}.timeZone", $"'{TextRules.Quote(text)}' is not an IANA time zone id (e.g. \"Europe/Berlin\", \"America/New_York\", \"UTC\")");
            return TimeZoneInfo.Utc;
        }
        return zone;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_:.-]*$")]
    private static partial Regex SettingPattern();
}
