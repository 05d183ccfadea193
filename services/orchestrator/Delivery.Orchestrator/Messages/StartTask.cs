namespace Delivery.Orchestrator.Messages;

/// <summary>Start one task of a running stage.</summary>
public sealed record StartTask(string ExecutionId, string StageId, string TaskId);
