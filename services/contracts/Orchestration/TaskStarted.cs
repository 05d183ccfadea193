namespace Delivery.Contracts.Orchestration;

/// <summary>Event: a task of a stage started running (<see cref="Status"/> <c>RUNNING</c>).</summary>
public sealed record TaskStarted(
    string EventId,
    string ExecutionId,
    string Application,
    string? PipelineConfigId,
    long Version,
    long Sequence,
    long Time,
    string StageId,
    string TaskId,
    string TaskName,
    ExecutionStatus Status) : IExecutionEvent;
