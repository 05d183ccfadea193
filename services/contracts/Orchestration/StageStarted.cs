namespace Delivery.Contracts.Orchestration;

/// <summary>
/// Event: a stage started running (<see cref="Status"/> <c>RUNNING</c>). A synthetic stage names the
/// stage it belongs to in <see cref="ParentStageId"/>. A stage that never runs (disabled, failed before
/// it could start) has only a <see cref="StageCompleted"/>.
/// </summary>
public sealed record StageStarted(
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
    ExecutionStatus Status) : IExecutionEvent;
