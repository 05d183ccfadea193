namespace Delivery.Contracts.Orchestration;

/// <summary>Start a stage once all its upstream stages are complete.</summary>
public sealed record StartStage(string ExecutionId, string StageId);
