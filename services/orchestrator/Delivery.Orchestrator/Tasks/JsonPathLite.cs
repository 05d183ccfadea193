using System.Globalization;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Tasks;

/// <summary>
/// The JSON-path subset webhook stages use: <c>$</c>, <c>.name</c>, <c>['name']</c>, <c>["name"]</c> and
/// <c>[index]</c>, e.g. <c>$.links[0].href</c>. A path without the leading <c>$</c> is read from the root, as
/// Jayway JsonPath (which Spinnaker uses) does.
/// </summary>
public static class JsonPathLite
{
    /// <summary>Reads <paramref name="path"/> from <paramref name="root"/>; false with the reason when the path is invalid or absent.</summary>
    public static bool TryRead(JsonNode? root, string path, out JsonNode? value, out string? problem)
    {
        value = null;
        if (!TryParse(path, out var segments, out problem))
        {
            return false;
        }
        var current = root;
        foreach (var segment in segments)
        {
            switch (current, segment)
            {
                case (JsonObject obj, string name) when obj.TryGetPropertyValue(name, out var child):
                    current = child;
                    break;
                case (JsonArray array, int index) when index >= 0 && index < array.Count:
                    current = array[index];
                    break;
                case (JsonArray array, int index) when index < 0 && -index <= array.Count:
                    current = array[array.Count + index];
                    break;
                default:
                    problem = $"JSON property '{path}' not found";
                    return false;
            }
        }
        value = current;
        return true;
    }

    private static bool TryParse(string path, out List<object> segments, out string? problem)
    {
        segments = [];
        problem = null;
        var p = path.Trim();
        if (p.StartsWith('$'))
        {
            p = p[1..];
        }
        else if (p.Length > 0 && p[0] != '.' && p[0] != '[')
        {
            p = "." + p;
        }
        var i = 0;
        while (i < p.Length)
        {
            if (p[i] == '.')
            {
                var start = ++i;
                while (i < p.Length && p[i] != '.' && p[i] != '[')
                {
                    i++;
                }
                if (i == start)
                {
                    problem = $"invalid JSON path '{path}': empty property name";
                    return false;
                }
                segments.Add(p[start..i]);
            }
            else if (p[i] == '[')
            {
                var close = p.IndexOf(']', i);
                if (close < 0)
                {
                    problem = $"invalid JSON path '{path}': missing ']'";
                    return false;
                }
                var inner = p[(i + 1)..close].Trim();
                if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[^1] == inner[0])
                {
                    segments.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add(index);
                }
                else
                {
                    problem = $"invalid JSON path '{path}': unsupported selector [{inner}] (supported: .name, ['name'], [index])";
                    return false;
                }
                i = close + 1;
            }
            else
            {
                problem = $"invalid JSON path '{path}' at '{p[i..]}'";
                return false;
            }
        }
        return true;
    }
}
