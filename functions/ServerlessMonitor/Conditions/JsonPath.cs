using System.Globalization;
using System.Text.Json;

namespace ServerlessMonitor.Conditions;

/// <summary>
/// The path after [BODY]: ".data[0].id", "[1]", ".a.b". Keys are separated by '.', array indexes are
/// written in brackets. Split into segments once at parse time, walked over a <see cref="JsonElement"/>.
/// </summary>
internal sealed class JsonPath
{
    private readonly Segment[] segments;

    private JsonPath(Segment[] segments) => this.segments = segments;

    /// <summary>A step of the path: a property name, or an array index when <see cref="Name"/> is null.</summary>
    private readonly record struct Segment(string? Name, int Index);

    /// <summary>Parses the text after "[BODY]", which starts with '.' or '['.</summary>
    public static bool TryParse(string path, out JsonPath? parsed, out string? error)
    {
        parsed = null;
        var segments = new List<Segment>();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                var name = path[(i + 1)..end];
                if (name.Length == 0)
                {
                    error = $"the JSON path '{path}' has an empty key";
                    return false;
                }
                if (name.Contains(']', StringComparison.Ordinal))
                {
                    error = $"the JSON path '{path}' has unbalanced brackets";
                    return false;
                }
                segments.Add(new Segment(name, 0));
                i = end;
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i + 1);
                if (close < 0)
                {
                    error = $"the JSON path '{path}' has unbalanced brackets";
                    return false;
                }
                var index = path[(i + 1)..close];
                if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    error = $"the JSON path '{path}' has an array index '{index}' that is not a non-negative integer";
                    return false;
                }
                segments.Add(new Segment(null, value));
                i = close + 1;
            }
            else
            {
                error = $"the JSON path '{path}' has '{path[i]}' where '.' or '[' was expected";
                return false;
            }
        }
        parsed = new JsonPath([.. segments]);
        error = null;
        return true;
    }

    /// <summary>
    /// The element at the end of the path, or false when a step is missing. A JSON null counts as missing,
    /// as in Gatus: "[BODY].data == OK" on {"data": null} is invalid and has([BODY].data) is false.
    /// </summary>
    public bool TryWalk(JsonElement root, out JsonElement element)
    {
        element = root;
        foreach (var segment in segments)
        {
            if (segment.Name is { } name)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return false;
                }
            }
            else if (element.ValueKind != JsonValueKind.Array || segment.Index >= element.GetArrayLength())
            {
                return false;
            }
            else
            {
                element = element[segment.Index];
            }
        }
        return element.ValueKind != JsonValueKind.Null;
    }
}
