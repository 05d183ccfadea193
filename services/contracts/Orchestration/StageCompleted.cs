namespace Delivery.Contracts.Orchestration;

/// <summary>Event: a stage reached a complete status (a redelivered copy carries the same <c>EndTime</c>).</summary>
public sealed record StageCompleted(string ExecutionId, string Application, string StageId, string StageType, string StageName, ExecutionStatus Status, long EndTime);
