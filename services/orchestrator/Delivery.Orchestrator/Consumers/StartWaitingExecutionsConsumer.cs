using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Persistence;
using MassTransit;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Consumers;

/// <summary>
/// Starts the next queued execution of a <c>limitConcurrent</c> pipeline: the oldest when
/// <c>keepWaitingPipelines</c> is set, otherwise the newest, canceling the others as Spinnaker does.
/// </summary>
public sealed class StartWaitingExecutionsConsumer(IExecutionStore store) : IConsumer<StartWaitingExecutions>
{
    public async Task Consume(ConsumeContext<StartWaitingExecutions> context)
    {
        var executions = await store.ListByPipelineConfigAsync(context.Message.PipelineConfigId, 1_000);
        if (executions.Any(e => e.Status is ExecutionStatus.Running or ExecutionStatus.Paused))
        {
            return;
        }
        var waiting = executions.Where(e => e.Status == ExecutionStatus.NotStarted && !e.Canceled).OrderBy(e => e.BuildTime).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        if (waiting.Count == 0)
        {
            return;
        }
        var next = context.Message.PurgeQueue ? waiting[^1] : waiting[0];
        if (context.Message.PurgeQueue)
        {
            foreach (var stale in waiting.Where(e => e.Id != next.Id))
            {
                await context.Publish(new CancelExecution(stale.Id, "system", "Canceled since a newer execution of this pipeline was queued."));
            }
        }
        await context.Publish(new StartExecution(next.Id));
    }
}
