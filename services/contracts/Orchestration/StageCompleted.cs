namespace Delivery.Contracts.Orchestration;

/// <summary>
/// Event: a stage reached a complete status (SUCCEEDED, TERMINAL, SKIPPED, CANCELED ...). A redelivered
/// copy carries the same <see cref="EndTime"/> and <see cref="EventId"/>.
/// </summary>
public sealed record StageCompleted(
    string EventId,
    string ExecutionId,
    string Application,
    string? PipelineConfigId,
    long Version,
    long Sequence,
    long Time,
    string StageId,
    string RefId,
    string? ParentStageId,
    string StageType,
    string StageName,
    ExecutionStatus Status,
    long EndTime) : IExecutionEvent;
