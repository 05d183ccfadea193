using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Tasks.Pipelines;
using MassTransit;
using Delivery.Orchestrator.Messages;

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
    // Most executions succeed and have no parent: they cost this consumer no read at all.
    public async Task Consume(ConsumeContext<ExecutionCompleted> context)
    {
        var message = context.Message;
        if (message.ParentExecutionId is { } parentId && message.ParentStageId is { } stageId)
        {
            await WakeParentAsync(context, parentId, stageId);
        }
        if (message.Status != ExecutionStatus.Succeeded && await executions.GetAsync(message.ExecutionId) is { } completed)
        {
            await CancelOrphansAsync(context, completed);
        }
    }

    private async Task WakeParentAsync(ConsumeContext context, string parentId, string stageId)
    {
        if (await executions.GetAsync(parentId) is not { Status: ExecutionStatus.Running } execution
            || execution.FindStage(stageId) is not { Status: ExecutionStatus.Running } stage)
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
