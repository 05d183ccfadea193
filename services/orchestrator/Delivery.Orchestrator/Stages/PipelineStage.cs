using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Tasks;
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

    public IReadOnlyList<TaskDefinition> Tasks(StageExecution stage) =>
        ContextValues.FlagDefaultTrue(stage.Context["waitForCompletion"])
            ? [new("startPipeline", "startPipelineTask"), new("monitorPipeline", "monitorPipelineTask")]
            : [new("startPipeline", "startPipelineTask")];

    public IReadOnlyList<object> OnCancel(PipelineExecution execution, StageExecution stage) =>
        ChildPipelines.ExecutionId(execution, stage) is { } child
            ? [new CancelExecution(child, "parent", $"The parent pipeline '{execution.Name}' ({execution.Id}) canceled its stage '{stage.Name}'.")]
            : [];

    public void PrepareForRestart(StageExecution stage)
    {
        foreach (var key in new[] { "executionId", "executionName", "status" })
        {
            stage.Context.Remove(key);
        }
    }
}
