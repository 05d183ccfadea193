namespace Delivery.Orchestrator.Persistence;

/// <summary>
/// The executions of each <c>limitConcurrent</c> pipeline config waiting to run, oldest first, however many there are
/// (executions never started, placed by build time, and ended ones whose restart waits, placed by request time), and
/// the one execution holding its run slot: Orca's <c>PendingExecutionService</c>. Callers serialize the decisions on
/// one config with the <c>start:{configId}</c> lock.
/// </summary>
public interface IPendingExecutionStore
{
    /// <summary>
    /// Queues an execution at <paramref name="queuedAt"/> (Unix ms: a start's build time, a restart's request time);
    /// queuing it again while it waits changes nothing, not even its place.
    /// </summary>
    Task EnqueueAsync(string pipelineConfigId, string executionId, long queuedAt);

    /// <summary>Takes the oldest queued execution; null when none waits.</summary>
    Task<string?> PopOldestAsync(string pipelineConfigId);

    /// <summary>Takes the newest queued execution; null when none waits.</summary>
    Task<string?> PopNewestAsync(string pipelineConfigId);

    /// <summary>Empties the queue; returns what it held.</summary>
    Task<IReadOnlyList<string>> PurgeAsync(string pipelineConfigId);

    /// <summary>How many executions are queued.</summary>
    Task<long> CountAsync(string pipelineConfigId);

    /// <summary>The queued executions, oldest first.</summary>
    Task<IReadOnlyList<string>> ListAsync(string pipelineConfigId);

    /// <summary>The execution last given the run slot (it may have ended since); null when none was.</summary>
    Task<string?> HolderAsync(string pipelineConfigId);

    /// <summary>Gives the run slot to <paramref name="executionId"/>.</summary>
    Task SetHolderAsync(string pipelineConfigId, string executionId);
}
