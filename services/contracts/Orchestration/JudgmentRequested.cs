namespace Delivery.Contracts.Orchestration;

/// <summary>
/// Event: a <c>manualJudgment</c> stage started waiting for a person. <see cref="Instructions"/> and
/// <see cref="JudgmentInputs"/> (the values a judge may choose) come from the stage's config, as in
/// Spinnaker's manual judgment notification.
/// </summary>
public sealed record JudgmentRequested(
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
    string? Instructions,
    IReadOnlyList<string> JudgmentInputs) : IExecutionEvent;
