namespace Delivery.Echo.Notifications;

/// <summary>
/// An execution event as a notification sees it. <see cref="Kind"/> is Spinnaker's <c>when</c> value:
/// <c>pipeline.starting|complete|failed</c>, <c>stage.starting|complete|failed</c>, <c>manualJudgment</c>,
/// <c>manualJudgmentContinue</c> or <c>manualJudgmentStop</c>.
/// </summary>
public sealed record NotificationEvent(
    string EventId,
    string Kind,
    string Application,
    string ExecutionId,
    string? PipelineConfigId,
    string PipelineName,
    string Status,
    long Time,
    string? StageId = null,
    string? StageName = null,
    JudgmentDetails? Judgment = null)
{
    /// <summary>True for the stage-level kinds, which a stage's own <c>notifications</c> subscribe to.</summary>
    public bool IsStageLevel => StageId is not null;
}

/// <summary>A manual judgment: what the judge is asked and may choose, or what they chose and who they were.</summary>
public sealed record JudgmentDetails(string? Instructions, IReadOnlyList<string> Inputs, string? JudgmentStatus = null, string? Input = null, string? User = null);
