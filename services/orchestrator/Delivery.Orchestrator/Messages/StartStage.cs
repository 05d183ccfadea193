namespace Delivery.Orchestrator.Messages;

/// <summary>Start a stage once all its upstream stages are complete.</summary>
public sealed record StartStage(string ExecutionId, string StageId);
