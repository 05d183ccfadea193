namespace Delivery.Contracts.Orchestration;

/// <summary>Skip a running stage (e.g. a wait) and carry on with its downstream stages.</summary>
public sealed record SkipStage(string ExecutionId, string StageId, string? User);
