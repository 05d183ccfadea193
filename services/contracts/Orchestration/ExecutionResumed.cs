namespace Delivery.Contracts.Orchestration;

/// <summary>Event: a user resumed a paused execution; its paused stages and tasks run again.</summary>
public sealed record ExecutionResumed(
    string EventId,
    string ExecutionId,
    string Application,
    string? PipelineConfigId,
    long Version,
    long Sequence,
    long Time,
    ExecutionStatus Status,
    string User) : IExecutionEvent;
