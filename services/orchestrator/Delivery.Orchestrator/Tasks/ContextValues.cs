using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Tasks;

/// <summary>Lenient reads of stage context values, which may be JSON numbers or strings produced by expressions.</summary>
public static class ContextValues
{
    public static double? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.TryGetValue(out string? s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    public static string? String(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };
}
