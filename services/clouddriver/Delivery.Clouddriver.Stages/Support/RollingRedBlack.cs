using System.Text.Json.Nodes;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Support;

/// <summary>
/// The steps of the <c>rollingredblack</c> strategy (Orca's <c>RollingRedBlackStrategy</c>): the new group is created
/// at the first of <c>targetPercentages</c> of its capacity and resized to each following one, so that the balancer
/// shifts traffic to it in steps (it routes by Up instances); the old groups are disabled once it is at 100%.
/// </summary>
/// <remarks>
/// Orca disables a matching share of the old group's instances at each step; the local cloud disables whole server
/// groups only, so here the old group keeps all its instances until the end and the new group's share of traffic at
/// a step of p% is p / (100 + p).
/// </remarks>
internal static class RollingRedBlack
{
    public const string Strategy = "rollingredblack";

    /// <summary><c>targetPercentages</c>: whole percentages 1..100, ascending; 100 is added at the end when missing; [100] when absent.</summary>
    /// <exception cref="StageInputException">A value that is not such a percentage, or not ascending.</exception>
    public static IReadOnlyList<int> Percentages(JsonObject context)
    {
        if (context["targetPercentages"] is null)
        {
            return [100];
        }
        if (context["targetPercentages"] is not JsonArray list || list.Count == 0)
        {
            throw new StageInputException("targetPercentages must be a non-empty list of percentages, e.g. [25, 50, 100].");
        }
        var steps = new List<int>();
        foreach (var node in list)
        {
            if (ContextValues.Number(node) is not { } p || p != Math.Floor(p) || p < 1 || p > 100)
            {
                throw new StageInputException($"targetPercentages must hold whole percentages from 1 to 100, not {node?.ToJsonString() ?? "null"}.");
            }
            if (steps.Count > 0 && p <= steps[^1])
            {
                throw new StageInputException("targetPercentages must be in ascending order.");
            }
            steps.Add((int)p);
        }
        if (steps[^1] != 100)
        {
            steps.Add(100);
        }
        return steps;
    }

    /// <summary><paramref name="percent"/> of the capacity, rounded up (at least one instance when the capacity has any).</summary>
    public static ServerGroupCapacity Scaled(ServerGroupCapacity capacity, int percent)
    {
        var desired = capacity.Desired == 0 ? 0 : Math.Max(1, (int)Math.Ceiling(capacity.Desired * percent / 100.0));
        return new ServerGroupCapacity(Math.Min(capacity.Min, desired), capacity.Max, desired);
    }

    public static JsonObject Json(ServerGroupCapacity capacity) =>
        new() { ["min"] = capacity.Min, ["max"] = capacity.Max, ["desired"] = capacity.Desired };
}
