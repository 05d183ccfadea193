using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Abstractions;

/// <summary>Lenient reads of stage context values, which may be JSON numbers or strings produced by expressions.</summary>
public static class ContextValues
{
    /// <summary>
    /// A number, whether it was parsed from JSON, set in memory from any numeric type (a task's
    /// output before it is saved) or written as a string by an expression.
    /// </summary>
    public static double? Number(JsonNode? node)
    {
        if (node is not JsonValue v)
        {
            return null;
        }
        if (v.TryGetValue(out double d)) return d;
        if (v.TryGetValue(out long l)) return l;
        if (v.TryGetValue(out int i)) return i;
        if (v.TryGetValue(out decimal m)) return (double)m;
        if (v.TryGetValue(out float f)) return f;
        if (v.TryGetValue(out JsonElement e) && e.ValueKind == JsonValueKind.Number) return e.GetDouble();
        return v.TryGetValue(out string? s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    /// <summary>A string value as is, any other JSON value as its JSON text (<c>42</c>, <c>true</c>), null for null or an object/array.</summary>
    public static string? String(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    /// <summary>Reads a boolean option that defaults to true (Spinnaker's <c>failPipeline</c>, <c>waitForCompletion</c>): only false or "false" turn it off.</summary>
    public static bool FlagDefaultTrue(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out string? s) => !string.Equals(s.Trim(), "false", StringComparison.OrdinalIgnoreCase),
        _ => true,
    };

    /// <summary>Reads a boolean option that defaults to false: only true or "true" turn it on.</summary>
    public static bool Flag(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out string? s) => string.Equals(s.Trim(), "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
