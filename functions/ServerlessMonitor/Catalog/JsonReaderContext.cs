using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Catalog;

/// <summary>Typed reads of catalog properties that record a path-qualified error instead of throwing.</summary>
internal sealed partial class JsonReaderContext
{
    public List<string> Errors { get; } = [];

    public void Error(string path, string message) => Errors.Add($"{path}: {message}");

    public void UnknownProperties(JsonElement obj, string path, string[] known)
    {
        foreach (var p in obj.EnumerateObject().Where(p => !known.Contains(p.Name)))
        {
            Error(Join(path, p.Name), $"unknown property (expected one of: {string.Join(", ", known)})");
        }
    }

    /// <summary>Ids become table keys ("{service}.{endpoint}"), so they are kept to a safe alphabet.</summary>
    public string? Id(JsonElement obj, string path)
    {
        var id = String(obj, path, "id", required: true);
        if (id is not null && !IdPattern().IsMatch(id))
        {
            Error($"{path}.id", $"'{id}' must be 1-40 characters of a-z, 0-9 and '-', starting with a letter or digit");
            return null;
        }
        return id;
    }

    public string? String(JsonElement obj, string path, string name, bool required = false)
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
        var s = v.GetString()!;
        if (required && string.IsNullOrWhiteSpace(s))
        {
            Error(Join(path, name), "must not be empty");
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
            Error(Join(path, name), $"'{text}' is not a duration (use hh:mm:ss or d.hh:mm:ss)");
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
            Error(Join(path, name), $"'{text}' is not an ISO 8601 date and time");
            return null;
        }
        return value.ToUniversalTime();
    }

    public IReadOnlyDictionary<string, string> StringMap(JsonElement obj, string path, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!obj.TryGetProperty(name, out var v))
        {
            return map;
        }
        if (v.ValueKind != JsonValueKind.Object)
        {
            Error(Join(path, name), "must be an object of header names to string values");
            return map;
        }
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                Error($"{Join(path, name)}.{p.Name}", "must be a string");
                continue;
            }
            map[p.Name] = p.Value.GetString()!;
        }
        return map;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex IdPattern();
}
