using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Catalog;

/// <summary>
/// Typed reads of catalog properties that record a path-qualified error instead of throwing. Values quoted
/// in errors go through <see cref="TextRules.Quote"/>, so a 50 MB value makes a short error, not a 50 MB one.
/// </summary>
internal sealed partial class JsonReaderContext
{
    public List<string> Errors { get; } = [];

    public void Error(string path, string message) => Errors.Add($"{path}: {message}");

    public void UnknownProperties(JsonElement obj, string path, string[] known)
    {
        foreach (var p in obj.EnumerateObject().Where(p => !known.Contains(p.Name)))
        {
            Error(Join(path, TextRules.Quote(p.Name)), $"unknown property (expected one of: {string.Join(", ", known)})");
        }
    }

    /// <summary>
    /// Every object in the document, at any depth, with a property name that occurs twice. JSON parsers keep
    /// the last value, so without this check an edit that adds "url" a second time silently wins.
    /// </summary>
    public void DuplicateProperties(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in element.EnumerateObject())
            {
                var at = Join(path, TextRules.Quote(p.Name));
                if (!seen.Add(p.Name))
                {
                    Error(at, "duplicate property: JSON keeps only the last value, so remove one of them");
                }
                DuplicateProperties(p.Value, at);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                DuplicateProperties(item, $"{path}[{i++}]");
            }
        }
    }

    /// <summary>Ids become table keys ("{service}.{endpoint}"), so they are kept to a safe alphabet.</summary>
    public string? Id(JsonElement obj, string path)
    {
        var id = String(obj, path, "id", required: true);
        if (id is not null && !IdPattern().IsMatch(id))
        {
            Error($"{path}.id", $"'{TextRules.Quote(id)}' must be 1-40 characters of a-z, 0-9 and '-', starting with a letter or digit");
            return null;
        }
        return id;
    }

    /// <summary>A string of at most <paramref name="maxLength"/> characters (UTF-16 code units).</summary>
    public string? String(JsonElement obj, string path, string name, bool required = false, int maxLength = CatalogLimits.Text)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Error(Join(path, name), "required");
            }
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            Error(Join(path, name), "must be a string");
            return null;
        }
        if (ReadString(v) is not { } s)
        {
            Error(Join(path, name), "contains an unpaired surrogate escape (\\ud800-\\udfff without its pair)");
            return null;
        }
        if (s.Length > maxLength)
        {
            Error(Join(path, name), $"must be at most {maxLength} characters (got {s.Length})");
            return null;
        }
        if (required && string.IsNullOrWhiteSpace(s))
        {
            Error(Join(path, name), "must not be empty");
            return null;
        }
        return s;
    }

    /// <summary>A string people will read (names, notes): length-limited and free of control characters.</summary>
    public string? Text(JsonElement obj, string path, string name, int maxLength, bool required = false, bool multiline = false)
    {
        var s = String(obj, path, name, required, maxLength);
        if (s is not null && TextRules.Problem(s, multiline) is { } problem)
        {
            Error(Join(path, name), problem);
            return null;
        }
        return s;
    }

    public int? Int(JsonElement obj, string path, string name, int min, int max)
    {
        if (!obj.TryGetProperty(name, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i) || i < min || i > max)
        {
            Error(Join(path, name), $"must be a whole number from {min} to {max}");
            return null;
        }
        return i;
    }

    public bool? Bool(JsonElement obj, string path, string name)
    {
        if (!obj.TryGetProperty(name, out var v))
        {
            return null;
        }
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(Join(path, name), "must be true or false");
            return null;
        }
        return v.GetBoolean();
    }

    /// <summary>A .NET TimeSpan string ("00:01:00", "7.00:00:00"); null default = required.</summary>
    public TimeSpan Duration(JsonElement obj, string path, string name, TimeSpan? fallback, TimeSpan min, TimeSpan max)
    {
        var text = String(obj, path, name, required: fallback is null);
        if (text is null)
        {
            return fallback ?? TimeSpan.Zero;
        }
        if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
        {
            Error(Join(path, name), $"'{TextRules.Quote(text)}' is not a duration (use hh:mm:ss or d.hh:mm:ss)");
            return fallback ?? TimeSpan.Zero;
        }
        if (value < min || value > max)
        {
            Error(Join(path, name), $"must be between {min} and {max}");
        }
        return value;
    }

    public DateTimeOffset? Date(JsonElement obj, string path, string name)
    {
        var text = String(obj, path, name, required: true);
        if (text is null)
        {
            return null;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            Error(Join(path, name), $"'{TextRules.Quote(text)}' is not an ISO 8601 date and time");
            return null;
        }
        return value.ToUniversalTime();
    }

    /// <summary>An object of strings; each value passes through <paramref name="check"/> (null = fine, else the problem).</summary>
    public Dictionary<string, string> StringMap(JsonElement obj, string path, string name, Func<string, string, string?> check)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!obj.TryGetProperty(name, out var v))
        {
            return map;
        }
        if (v.ValueKind != JsonValueKind.Object)
        {
            Error(Join(path, name), "must be an object of names to string values");
            return map;
        }
        foreach (var p in v.EnumerateObject())
        {
            var at = $"{Join(path, name)}.{TextRules.Quote(p.Name)}";
            if (p.Value.ValueKind != JsonValueKind.String || ReadString(p.Value) is not { } value)
            {
                Error(at, "must be a string");
            }
            else if (check(p.Name, value) is { } problem)
            {
                Error(at, problem);
            }
            else if (!map.TryAdd(p.Name, value))
            {
                Error(at, "duplicate name (names are case-insensitive): only one would be sent");
            }
        }
        return map;
    }

    // JSON may escape half a surrogate pair ("\ud800"); System.Text.Json refuses to turn that into a string.
    internal static string? ReadString(JsonElement v)
    {
        try
        {
            return v.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex IdPattern();
}
