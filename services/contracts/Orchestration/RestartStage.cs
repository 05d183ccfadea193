namespace Delivery.Contracts.Orchestration;

/// <summary>Run a completed stage, and everything downstream of it, again.</summary>
public sealed record RestartStage(string ExecutionId, string StageId, string? User);
