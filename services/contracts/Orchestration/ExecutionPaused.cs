namespace Delivery.Contracts.Orchestration;

/// <summary>Event: a user paused an execution; its running stages and tasks are <c>PAUSED</c> too.</summary>
public sealed record ExecutionPaused(
    string EventId,
    string ExecutionId,
    string Application,
    string? PipelineConfigId,
    long Version,
    long Sequence,
    long Time,
    ExecutionStatus Status,
    string User) : IExecutionEvent;
