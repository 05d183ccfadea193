using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.CanaryJudge.Configs;

/// <summary>Typed reads of optional JSON fields that record a problem naming the field when the type is wrong.</summary>
internal static class JsonFields
{
    public static JsonObject? Object(JsonObject parent, string name, string path, ValidationErrors errors, bool required = false)
    {
        var node = parent[name];
        if (node is JsonObject o)
        {
            return o;
        }
        if (node is not null || required)
        {
            errors.Add(path, node is null ? "is required." : "must be an object.");
        }
        return null;
    }

    public static string? String(JsonObject parent, string name, string path, ValidationErrors errors, bool required = false)
    {
        var node = parent[name];
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>();
            if (required && string.IsNullOrWhiteSpace(text))
            {
                errors.Add(path, "must not be empty.");
            }
            return text;
        }
        if (node is not null || required)
        {
            errors.Add(path, node is null ? "is required." : "must be a string.");
        }
        return null;
    }

    public static bool? Bool(JsonObject parent, string name, string path, ValidationErrors errors)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }
        var kind = node.GetValueKind();
        if (kind is JsonValueKind.True or JsonValueKind.False)
        {
            return kind == JsonValueKind.True;
        }
        errors.Add(path, "must be true or false.");
        return null;
    }

    public static double? Number(JsonObject parent, string name, string path, ValidationErrors errors, double min = double.MinValue, double max = double.MaxValue)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }
        if (node.GetValueKind() != JsonValueKind.Number)
        {
            errors.Add(path, "must be a number.");
            return null;
        }
        var value = node.GetValue<double>();
        if (!double.IsFinite(value) || value < min || value > max)
        {
            errors.Add(path, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, not {value.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }
        return value;
    }

    /// <summary>A string that must be one of <paramref name="allowed"/>; null when absent.</summary>
    public static string? OneOf(JsonObject parent, string name, string path, ValidationErrors errors, params string[] allowed)
    {
        var text = String(parent, name, path, errors);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            errors.Add(path, $"must be one of {string.Join(", ", allowed)}, not '{text}'.");
            return null;
        }
        return text;
    }
}
