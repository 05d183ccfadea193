namespace Delivery.Orchestrator.Messages;

/// <summary>Start a created execution (or leave it queued behind a running one when <c>limitConcurrent</c> is set).</summary>
public sealed record StartExecution(string ExecutionId);
