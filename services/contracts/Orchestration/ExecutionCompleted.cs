namespace Delivery.Contracts.Orchestration;

/// <summary>Event: an execution reached a complete status.</summary>
public sealed record ExecutionCompleted(string ExecutionId, string Application, string? PipelineConfigId, string Name, ExecutionStatus Status);
