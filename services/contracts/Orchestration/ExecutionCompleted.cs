namespace Delivery.Contracts.Orchestration;

/// <summary>
/// Event: an execution reached a complete status. A child pipeline (started by a <c>pipeline</c>
/// stage) names its parent execution and stage, so that the parent can react without loading it.
/// </summary>
public sealed record ExecutionCompleted(
    string EventId,
    string ExecutionId,
    string Application,
    string? PipelineConfigId,
    long Version,
    long Sequence,
    long Time,
    string Name,
    ExecutionStatus Status,
    string? ParentExecutionId = null,
    string? ParentStageId = null) : IExecutionEvent;
