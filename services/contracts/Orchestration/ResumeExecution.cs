namespace Delivery.Contracts.Orchestration;

/// <summary>Resume a paused execution.</summary>
public sealed record ResumeExecution(string ExecutionId, string? User);
