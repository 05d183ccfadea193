namespace Delivery.Orchestrator.Persistence;

/// <summary>
/// The executions of each <c>limitConcurrent</c> pipeline config waiting to start, oldest first (by build time), however
/// many there are, and the one execution holding its run slot: Orca's <c>PendingExecutionService</c>. Callers serialize
/// the decisions on one config with the <c>start:{configId}</c> lock.
/// </summary>
public interface IPendingExecutionStore
{
    /// <summary>Queues an execution built at <paramref name="buildTime"/> (Unix ms); queuing it again changes nothing.</summary>
    Task EnqueueAsync(string pipelineConfigId, string executionId, long buildTime);

    /// <summary>Takes the oldest queued execution; null when none waits.</summary>
    Task<string?> PopOldestAsync(string pipelineConfigId);

    /// <summary>Takes the newest queued execution; null when none waits.</summary>
    Task<string?> PopNewestAsync(string pipelineConfigId);

    /// <summary>Empties the queue; returns what it held.</summary>
    Task<IReadOnlyList<string>> PurgeAsync(string pipelineConfigId);

    /// <summary>The queued executions, oldest first.</summary>
    Task<IReadOnlyList<string>> ListAsync(string pipelineConfigId);

    /// <summary>The execution last given the run slot (it may have ended since); null when none was.</summary>
    Task<string?> HolderAsync(string pipelineConfigId);

    /// <summary>Gives the run slot to <paramref name="executionId"/>.</summary>
    Task SetHolderAsync(string pipelineConfigId, string executionId);
}
