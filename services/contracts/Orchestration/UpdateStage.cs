namespace Delivery.Contracts.Orchestration;

/// <summary>Merge user input (a JSON object, e.g. <c>{"judgmentStatus":"continue"}</c>) into a stage context and let the stage react at once.</summary>
public sealed record UpdateStage(string ExecutionId, string StageId, string ContextJson, string? User);
