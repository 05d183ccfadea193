namespace Delivery.Orchestrator.Messages;

/// <summary>Sent when the synthetic stages of one phase (<c>STAGE_BEFORE</c> or <c>STAGE_AFTER</c>) of a parent have finished.</summary>
public sealed record ContinueParentStage(string ExecutionId, string StageId, string Phase);
