using System.Text.Json.Nodes;

namespace Delivery.Integration.Tests.Infrastructure;

/// <summary>Stage JSON of the pipeline configs the distributed tests run.</summary>
public static class Pipelines
{
    public static JsonObject Variables(string refId, params string[] requisites) => new()
    {
        ["refId"] = refId,
        ["type"] = "evaluateVariables",
        ["name"] = $"variables {refId}",
        ["variables"] = new JsonArray(new JsonObject { ["key"] = $"v{refId}", ["value"] = refId }),
        ["requisiteStageRefIds"] = Requisites(requisites),
    };

    public static JsonObject Wait(string refId, double seconds, params string[] requisites) => new()
    {
        ["refId"] = refId,
        ["type"] = "wait",
        ["name"] = $"wait {refId}",
        ["waitTime"] = seconds,
        ["requisiteStageRefIds"] = Requisites(requisites),
    };

    public static JsonObject Judgment(string refId, params string[] requisites) => new()
    {
        ["refId"] = refId,
        ["type"] = "manualJudgment",
        ["name"] = $"judgment {refId}",
        ["requisiteStageRefIds"] = Requisites(requisites),
    };

    /// <summary>A chain of quick stages 1 -> 2 -> ... -> n, with a fork and join after the first (1 -> (2, 3) -> 4 -> ...).</summary>
    public static JsonObject[] QuickChain(int length)
    {
        var stages = new List<JsonObject> { Variables("1"), Variables("2", "1"), Variables("3", "1"), Variables("4", "2", "3") };
        for (var i = 5; i <= length; i++)
        {
            stages.Add(Variables(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return [.. stages];
    }

    private static JsonArray Requisites(string[] refIds) => new([.. refIds.Select(r => (JsonNode)r)]);
}
