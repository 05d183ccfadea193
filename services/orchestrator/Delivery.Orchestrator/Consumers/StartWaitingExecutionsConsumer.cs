using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Messages;
using MassTransit;

namespace Delivery.Orchestrator.Consumers;

/// <summary>
/// Hands the run slot of a <c>limitConcurrent</c> pipeline on once its holder ended: to the oldest queued execution when
/// <c>keepWaitingPipelines</c> is set, otherwise to the newest, canceling the others (Orca's StartWaitingExecutionsHandler).
/// Executions canceled while they waited are passed over, so the slot goes to the newest one still waiting.
/// </summary>
public sealed class StartWaitingExecutionsConsumer(ConcurrencySlots slots) : IConsumer<StartWaitingExecutions>
{
    public async Task Consume(ConsumeContext<StartWaitingExecutions> context)
    {
        var configId = context.Message.PipelineConfigId;
        await using var held = await slots.LockAsync(configId, context.CancellationToken);
        if (await slots.Pending.HolderAsync(configId) is { } holder && await slots.IsLiveAsync(holder) is { } live)
        {
            if (live.Status == ExecutionStatus.NotStarted)
            {
                // Given the slot by an earlier delivery of this message, whose start may not have left.
                await context.Publish(new StartExecution(holder));
            }
            return;
        }
        while ((context.Message.PurgeQueue ? await slots.Pending.PopNewestAsync(configId) : await slots.Pending.PopOldestAsync(configId)) is { } next)
        {
            // Canceled while it waited: the next one then. (Orca purges the queue for it and leaves the pipeline idle.)
            if (await slots.IsLiveAsync(next) is not { Status: ExecutionStatus.NotStarted })
            {
                continue;
            }
            if (context.Message.PurgeQueue)
            {
                foreach (var stale in await slots.Pending.PurgeAsync(configId))
                {
                    await context.Publish(new CancelExecution(stale, "system", "Canceled since a newer execution of this pipeline was queued."));
                }
            }
            await slots.Pending.SetHolderAsync(configId, next);
            await context.Publish(new StartExecution(next));
            return;
        }
    }
}
