namespace Delivery.Contracts.Orchestration;

/// <summary>Cancel an execution: running stages become CANCELED and nothing further starts.</summary>
public sealed record CancelExecution(string ExecutionId, string? User, string? Reason);
