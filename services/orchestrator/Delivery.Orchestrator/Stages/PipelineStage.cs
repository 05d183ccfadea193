using System.Text.Json.Nodes;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Tasks.Pipelines;

namespace Delivery.Orchestrator.Stages;

/// <summary>
/// Spinnaker's <c>pipeline</c> stage: runs another pipeline (<c>application</c>, <c>pipeline</c>,
/// <c>pipelineParameters</c>) and, unless <c>waitForCompletion</c> is false, waits for it. Canceling the stage
/// cancels the child.
/// </summary>
public sealed class PipelineStage : IStageDefinition
{
    public string Type => "pipeline";

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) =>
        ContextValues.FlagDefaultTrue(stage.Context["waitForCompletion"])
            ? [new("startPipeline", "startPipelineTask"), new("monitorPipeline", "monitorPipelineTask")]
            : [new("startPipeline", "startPipelineTask")];

    public IReadOnlyList<object> OnCancel(IExecutionView execution, IStageView stage) =>
        ChildPipelines.ExecutionId(execution.Id, stage) is { } child
            ? [new CancelExecution(child, "parent", $"The parent pipeline '{execution.Name}' ({execution.Id}) canceled its stage '{stage.Name}'.")]
            : [];

    public void PrepareForRestart(JsonObject context)
    {
        foreach (var key in new[] { "executionId", "executionName", "status" })
        {
            context.Remove(key);
        }
    }
}
