namespace Delivery.Contracts.Orchestration;

/// <summary>Event: a stage reached a complete status.</summary>
public sealed record StageCompleted(string ExecutionId, string Application, string StageId, string StageType, string StageName, ExecutionStatus Status);
