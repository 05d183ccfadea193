namespace Delivery.Orchestrator.Messages;

/// <summary>Start the next queued execution of a pipeline config that has <c>limitConcurrent</c> set.</summary>
public sealed record StartWaitingExecutions(string PipelineConfigId, bool PurgeQueue);
