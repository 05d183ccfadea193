using Delivery.Contracts;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// <c>limitConcurrent</c>: one execution of a pipeline config holds its run slot; the others wait in its FIFO queue
/// (<see cref="IPendingExecutionStore"/>) whatever their number, as Orca's <c>PendingExecutionService</c> keeps them:
/// executions queued to start, ordered by build time, and ended executions queued to restart, ordered by the time of
/// the restart request (Unix ms both, so the two interleave in the order they were asked for). Whichever kind it is,
/// its turn is a <c>StartExecution</c>, which runs the NOT_STARTED stages whose upstream stages are complete.
/// Every decision on a config runs under its <c>start:{configId}</c> lock.
/// </summary>
public sealed class ConcurrencySlots(IPendingExecutionStore pending, IExecutionStore store, ILockStore locks)
{
    public IPendingExecutionStore Pending => pending;

    /// <summary>Takes the config's lock for one decision; it frees itself after 30 s should its holder die.</summary>
    /// <exception cref="TimeoutException">The lock was not free within 10 s.</exception>
    public Task<IAsyncDisposable> LockAsync(string pipelineConfigId, CancellationToken cancellationToken) =>
        locks.AcquireAsync($"start:{pipelineConfigId}", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), cancellationToken);

    /// <summary>
    /// Gives the frame's execution the slot and answers true, or queues it at <paramref name="queuedAt"/> (Unix ms: its
    /// build time to start, the request time to restart) and answers false. It takes the slot when it was granted it
    /// (<c>StartWaitingExecutions</c> makes the next one the holder before starting it) or when the slot is free and
    /// nobody waits. When the slot is free but others wait, it queues too, so that no newcomer jumps the FIFO, and the
    /// frame sends <c>StartWaitingExecutions</c> to hand the slot on. Call under <see cref="LockAsync"/>.
    /// </summary>
    public async Task<bool> TryTakeAsync(ExecutionFrame frame, string pipelineConfigId, long queuedAt)
    {
        var execution = frame.Execution;
        var holder = await pending.HolderAsync(pipelineConfigId);
        if (holder == execution.Id && !execution.Status.IsComplete())
        {
            return true;
        }
        var heldByOther = holder is not null && holder != execution.Id && await IsLiveAsync(holder) is not null;
        if (!heldByOther && await pending.CountAsync(pipelineConfigId) == 0)
        {
            await pending.SetHolderAsync(pipelineConfigId, execution.Id);
            return true;
        }
        await pending.EnqueueAsync(pipelineConfigId, execution.Id, queuedAt);
        if (!heldByOther)
        {
            // The holder ended and its hand-on has not yet run (or was lost): it will start the one whose turn it is.
            frame.Publish(new StartWaitingExecutions(pipelineConfigId, PurgeQueue: !execution.KeepWaitingPipelines));
        }
        return false;
    }

    /// <summary>The execution when it has not ended; null once it ended or is gone.</summary>
    public async Task<PipelineExecution?> IsLiveAsync(string executionId) =>
        await store.GetAsync(executionId) is { } e && !e.Status.IsComplete() && !e.Canceled ? e : null;
}
