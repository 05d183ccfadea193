namespace Delivery.Contracts.Orchestration;

/// <summary>Pause a running execution.</summary>
public sealed record PauseExecution(string ExecutionId, string? User);
