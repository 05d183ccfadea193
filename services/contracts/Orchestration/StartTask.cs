namespace Delivery.Contracts.Orchestration;

/// <summary>Start one task of a running stage.</summary>
public sealed record StartTask(string ExecutionId, string StageId, string TaskId);
