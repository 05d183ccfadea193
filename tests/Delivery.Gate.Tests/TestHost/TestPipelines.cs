using System.Text;
using System.Text.Json.Nodes;

namespace Delivery.Gate.Tests.TestHost;

/// <summary>Pipeline JSON the input tests build: a pipeline of no-op wait stages, and a JSON request body.</summary>
public static class TestPipelines
{
    public static JsonObject Pipeline(string app, string name, params JsonObject[] stages) =>
        new() { ["application"] = app, ["name"] = name, ["stages"] = new JsonArray(stages) };

    public static JsonObject Stage(string refId, string type = "wait", params string[] requisites) => new()
    {
        ["refId"] = refId,
        ["type"] = type,
        ["name"] = $"stage {refId}",
        ["waitTime"] = 0,
        ["requisiteStageRefIds"] = new JsonArray([.. requisites.Select(r => (JsonNode)r)]),
    };

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
