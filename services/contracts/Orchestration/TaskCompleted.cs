namespace Delivery.Contracts.Orchestration;

/// <summary>Event: a task of a stage reached a complete status (SUCCEEDED, TERMINAL, CANCELED ...).</summary>
public sealed record TaskCompleted(
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
