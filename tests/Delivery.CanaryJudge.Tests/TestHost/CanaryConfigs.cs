using System.Text.Json.Nodes;

namespace Delivery.CanaryJudge.Tests.TestHost;

/// <summary>Kayenta-shaped canary config JSON for the tests.</summary>
public static class CanaryConfigs
{
    /// <summary>A prometheus metric in the given group with an optional <c>analysisConfigurations.canary</c> block.</summary>
    public static JsonObject Metric(string name, string group = "errors", JsonObject? canary = null) => new()
    {
        ["name"] = name,
        ["query"] = new JsonObject { ["type"] = "prometheus", ["metricName"] = name },
        ["groups"] = new JsonArray(group),
        ["analysisConfigurations"] = new JsonObject { ["canary"] = canary ?? new JsonObject() },
        ["scopeName"] = "default",
    };

    /// <summary>A config of the metrics whose groups get the weights (group name, weight).</summary>
    public static JsonObject Config(string name, JsonObject[] metrics, params (string Group, double Weight)[] weights)
    {
        var groupWeights = new JsonObject();
        foreach (var (group, weight) in weights.Length > 0 ? weights : [("errors", 100.0)])
        {
            groupWeights[group] = weight;
        }
        return new JsonObject
        {
            ["name"] = name,
            ["applications"] = new JsonArray("app"),
            ["judge"] = new JsonObject { ["name"] = "NetflixACAJudge-v1.0", ["judgeConfigurations"] = new JsonObject() },
            ["metrics"] = new JsonArray([.. metrics]),
            ["classifier"] = new JsonObject { ["groupWeights"] = groupWeights },
        };
    }
}
