using Delivery.Contracts;
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
    /// Gives <paramref name="execution"/> the slot when it is free (or already its own) and answers true; otherwise queues it
    /// and answers false. Call under <see cref="LockAsync"/>.
    /// </summary>
    public async Task<bool> TryTakeAsync(PipelineExecution execution, string pipelineConfigId)
    {
        if (await HeldByOtherAsync(pipelineConfigId, execution.Id))
        {
            await pending.EnqueueAsync(pipelineConfigId, execution.Id, execution.BuildTime);
            return false;
        }
        await pending.SetHolderAsync(pipelineConfigId, execution.Id);
        return true;
    }

    /// <summary>
    /// Queues the restart of an ended execution, requested at <paramref name="requestedAt"/> (Unix ms), behind the
    /// slot's holder (<see cref="Handlers.RestartStageHandler"/>). Call under <see cref="LockAsync"/>.
    /// </summary>
    public Task QueueRestartAsync(string pipelineConfigId, string executionId, long requestedAt) =>
        pending.EnqueueAsync(pipelineConfigId, executionId, requestedAt);

    /// <summary>Whether an execution other than <paramref name="executionId"/> holds the slot and has not ended (a granted one not yet started holds it too).</summary>
    public async Task<bool> HeldByOtherAsync(string pipelineConfigId, string executionId) =>
        await pending.HolderAsync(pipelineConfigId) is { } holder && holder != executionId && await IsLiveAsync(holder) is not null;

    /// <summary>The execution when it has not ended; null once it ended or is gone.</summary>
    public async Task<PipelineExecution?> IsLiveAsync(string executionId) =>
        await store.GetAsync(executionId) is { } e && !e.Status.IsComplete() && !e.Canceled ? e : null;
}
