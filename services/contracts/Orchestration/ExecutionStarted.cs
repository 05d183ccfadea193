namespace Delivery.Contracts.Orchestration;

/// <summary>
/// Event: an execution started running (also when a restarted stage reopens a completed execution).
/// <see cref="Status"/> is <c>RUNNING</c>; <see cref="Name"/> is the pipeline's name.
/// </summary>
public sealed record ExecutionStarted(
    string EventId,
    string ExecutionId,
    string Application,
    string? PipelineConfigId,
    long Version,
    long Sequence,
    long Time,
    string Name,
    ExecutionStatus Status) : IExecutionEvent;
