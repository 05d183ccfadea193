namespace Delivery.Orchestrator.Messages;

/// <summary>Settle an execution from its top-level stages.</summary>
public sealed record CompleteExecution(string ExecutionId);
