using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Tasks.Pipelines;
using MassTransit;

namespace Delivery.Orchestrator.Stages;

/// <summary>
/// Links executions started by <c>pipeline</c> stages to their parents when either completes:
/// <list type="bullet">
/// <item>a completed child runs its parent stage's running task at once, so the parent moves on without waiting for its next poll;</item>
/// <item>a parent that ended without success cancels the children of its canceled <c>pipeline</c> stages that still run. The stage's
/// own cancel (<see cref="PipelineStage.OnCancel"/>) normally did so already; this catches a child created while the cancel was
/// under way, whose cancel found nothing to cancel.</item>
/// </list>
/// </summary>
public sealed class ChildPipelineCompletedConsumer(IExecutionStore executions) : IConsumer<ExecutionCompleted>
{
    public async Task Consume(ConsumeContext<ExecutionCompleted> context)
    {
        if (await executions.GetAsync(context.Message.ExecutionId) is not { } completed)
        {
            return;
        }
        await WakeParentAsync(context, completed);
        if (completed.Status != ExecutionStatus.Succeeded)
        {
            await CancelOrphansAsync(context, completed);
        }
    }

    private async Task WakeParentAsync(ConsumeContext context, PipelineExecution child)
    {
        if (ChildPipelines.Parent(child.Trigger) is not { } parent
            || await executions.GetAsync(parent.ExecutionId) is not { Status: ExecutionStatus.Running } execution
            || execution.FindStage(parent.StageId) is not { Status: ExecutionStatus.Running } stage)
        {
            return;
        }
        foreach (var task in stage.Tasks.Where(t => t.Status == ExecutionStatus.Running))
        {
            await context.Publish(new RunTask(execution.Id, stage.Id, task.Id));
        }
    }

    private async Task CancelOrphansAsync(ConsumeContext context, PipelineExecution parent)
    {
        foreach (var stage in parent.Stages.Where(s => s is { Type: "pipeline", Status: ExecutionStatus.Canceled }))
        {
            if (ChildPipelines.ExecutionId(parent, stage) is { } childId
                && await executions.GetAsync(childId) is { } child
                && !child.Status.IsComplete()
                && ChildPipelines.Parent(child.Trigger)?.ExecutionId == parent.Id)
            {
                await context.Publish(new CancelExecution(childId, "parent", $"The parent pipeline '{parent.Name}' ({parent.Id}) ended {parent.Status.ToWire()}."));
            }
        }
    }
}
