namespace Delivery.Contracts.Orchestration;

/// <summary>
/// Event: a person judged a <c>manualJudgment</c> stage. <see cref="JudgmentStatus"/> is <c>continue</c>
/// or <c>stop</c>; <see cref="Input"/> the chosen judgment input, if any; <see cref="Status"/> the
/// stage's status when the judgment was recorded (the stage completes right after).
/// </summary>
public sealed record StageJudged(
    string EventId,
    string ExecutionId,
    string Application,
    string? PipelineConfigId,
    long Version,
    long Sequence,
    long Time,
    string StageId,
    string StageName,
    ExecutionStatus Status,
    string JudgmentStatus,
    string? Input,
    string User) : IExecutionEvent;
