namespace Delivery.Orchestrator.Messages;

/// <summary>Settle a stage from its tasks and synthetic stages, then start what follows.</summary>
public sealed record CompleteStage(string ExecutionId, string StageId);
