namespace Delivery.Orchestrator.Messages;

/// <summary>Run (or poll again) a running task.</summary>
public sealed record RunTask(string ExecutionId, string StageId, string TaskId);
