using System.Text.Json.Nodes;

namespace Delivery.Bench;

/// <summary>The pipelines the scenarios run; every stage is a no-op (<c>wait</c> with <c>waitTime</c> 0).</summary>
public static class Pipelines
{
    public const string Application = "bench";

    public const string Single = "single";
    public const string Chain10 = "chain10";
    public const string Fanout10 = "fanout10";

    /// <summary>
    /// The pipeline a load worker triggers: each worker has its own copy, so that the server's retention
    /// (the newest N completed executions per pipeline) never deletes an execution its client is still
    /// polling, which it would when 64 clients share one pipeline and one of them lags behind.
    /// </summary>
    public static string ForWorker(string pipeline, int worker) => $"{pipeline}-w{worker:00}";

    public static IEnumerable<(string Name, JsonArray Stages)> All(int workers)
    {
        var branches = Enumerable.Range(1, 10).Select(i => $"b{i}").ToArray();
        foreach (var suffix in new[] { "" }.Concat(Enumerable.Range(0, workers).Select(w => ForWorker("", w))))
        {
            yield return (Single + suffix, [NoOp("1")]);
            yield return (Chain10 + suffix, [.. Enumerable.Range(1, 10).Select(i => NoOp($"{i}", i == 1 ? [] : [$"{i - 1}"]))]);
            if (suffix.Length == 0)
            {
                yield return (Fanout10, [NoOp("first"), .. branches.Select(b => NoOp(b, "first")), NoOp("last", branches)]);
            }
        }
    }

    private static JsonObject NoOp(string refId, params string[] requisites) => new()
    {
        ["refId"] = refId,
        ["type"] = "wait",
        ["name"] = $"no-op {refId}",
        ["waitTime"] = 0,
        ["requisiteStageRefIds"] = new JsonArray([.. requisites.Select(r => (JsonNode)r)]),
    };
}
