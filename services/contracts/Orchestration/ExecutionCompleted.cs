namespace Delivery.Contracts.Orchestration;

/// <summary>
/// Event: an execution reached a complete status. A child pipeline (started by a <c>pipeline</c>
/// stage) names its parent execution and stage, so that the parent can react without loading it.
/// </summary>
public sealed record ExecutionCompleted(
    string ExecutionId,
    string Application,
    string? PipelineConfigId,
    string Name,
    ExecutionStatus Status,
    string? ParentExecutionId = null,
    string? ParentStageId = null);
