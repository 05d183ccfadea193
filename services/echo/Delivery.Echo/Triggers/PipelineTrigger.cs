using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Echo.Index;

namespace Delivery.Echo.Triggers;

/// <summary>
/// Spinnaker's <c>pipeline</c> trigger: fires when the pipeline config <c>pipeline</c> of <c>application</c> ends
/// with one of the trigger's <c>status</c> values, Spinnaker's <c>successful</c>, <c>failed</c> and <c>canceled</c>
/// (a wire status such as <c>TERMINAL</c> is taken too). <c>trigger.parentExecution</c> is the ended execution.
/// </summary>
public static class PipelineTrigger
{
    public const string Type = "pipeline";

    /// <summary>Spinnaker's name for how an execution ended: successful, failed or canceled.</summary>
    public static string Outcome(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Succeeded => "successful",
        ExecutionStatus.Canceled => "canceled",
        _ => "failed",
    };

    public static bool Matches(IndexedTrigger trigger, ExecutionCompleted completed)
    {
        if (completed.PipelineConfigId is null
            || trigger.Field("pipeline") != completed.PipelineConfigId
            || (trigger.Field("application") is { } app && !string.Equals(app, completed.Application, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        var outcome = Outcome(completed.Status);
        return (trigger.Trigger["status"] as JsonArray ?? []).Select(TriggerIndex.Text).OfType<string>()
            .Any(s => string.Equals(s, outcome, StringComparison.OrdinalIgnoreCase) || string.Equals(s, completed.Status.ToWire(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The ended execution and its ancestors, nearest first: <paramref name="parent"/>, then each
    /// <c>trigger.parentExecution</c> in turn. At most <paramref name="limit"/> are walked.
    /// </summary>
    public static IReadOnlyList<JsonObject> Ancestry(JsonObject parent, int limit)
    {
        var chain = new List<JsonObject>();
        for (JsonObject? node = parent; node is not null && chain.Count < limit; node = node["trigger"]?["parentExecution"] as JsonObject)
        {
            chain.Add(node);
        }
        return chain;
    }

    /// <summary>The execution's trigger; <paramref name="parent"/> is the ended execution's JSON when it could be read.</summary>
    public static JsonObject TriggerOf(IndexedTrigger trigger, ExecutionCompleted completed, JsonObject? parent)
    {
        var result = (JsonObject)trigger.Trigger.DeepClone();
        result["type"] = Type;
        result["parentPipelineId"] = completed.PipelineConfigId;
        result["parentPipelineName"] = completed.Name;
        result["parentPipelineApplication"] = completed.Application;
        result["parentStatus"] = completed.Status.ToWire();
        result["parentExecution"] = parent?.DeepClone() ?? new JsonObject
        {
            ["id"] = completed.ExecutionId,
            ["application"] = completed.Application,
            ["name"] = completed.Name,
            ["pipelineConfigId"] = completed.PipelineConfigId,
            ["status"] = completed.Status.ToWire(),
        };
        return result;
    }
}
