using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Tasks.Pipelines;

/// <summary>How a <c>pipeline</c> stage names and recognizes the child execution it starts.</summary>
public static class ChildPipelines
{
    /// <summary>
    /// The child's execution id: the same for the same parent execution, stage and stage start, so a task that
    /// runs again creates no second child, while a restarted stage (a new start time) starts a new one.
    /// </summary>
    public static string? ExecutionId(string parentId, IStageView stage) =>
        ExecutionId(parentId, stage.Id, stage.StartTime, ContextValues.String(stage.Context["executionId"]));

    /// <inheritdoc cref="ExecutionId(string, IStageView)"/>
    public static string? ExecutionId(PipelineExecution parent, StageExecution stage) =>
        ExecutionId(parent.Id, stage.Id, stage.StartTime, ContextValues.String(stage.Context["executionId"]));

    private static string? ExecutionId(string parentId, string stageId, long? startTime, string? recorded)
    {
        if (recorded is { Length: > 0 })
        {
            return recorded;
        }
        if (startTime is not { } started)
        {
            return null;
        }
        var key = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{parentId}:{stageId}:{started}"));
        var seed = new Guid(SHA256.HashData(key).AsSpan(0, 16));
        return Ids.UlidFrom(DateTimeOffset.FromUnixTimeMilliseconds(started), seed);
    }

    /// <summary>
    /// The trigger field naming the parent's <c>pipeline</c> stage: with <c>parentExecution.id</c>, the link the child reports
    /// its end through. Only a pipeline stage sets it; it is removed from triggers callers send.
    /// </summary>
    public const string ParentStageField = "parentPipelineStageId";

    /// <summary>The parent's execution id and stage id recorded in a child's trigger, if it was started by a <c>pipeline</c> stage.</summary>
    public static (string ExecutionId, string StageId)? Parent(JsonObject trigger) =>
        ContextValues.String((trigger["parentExecution"] as JsonObject)?["id"]) is { Length: > 0 } id
        && ContextValues.String(trigger[ParentStageField]) is { Length: > 0 } stageId
            ? (id, stageId)
            : null;
}
