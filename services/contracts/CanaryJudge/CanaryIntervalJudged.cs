namespace Delivery.Contracts.CanaryJudge;

/// <summary>
/// Event: canary-judge judged (or could not judge) one interval of a canary (<see cref="JudgeCanaryInterval"/>).
/// </summary>
/// <param name="JudgementId">The command's id, also the report's id when <paramref name="Succeeded"/>.</param>
/// <param name="ExecutionId">The command's <c>ExecutionId</c>.</param>
/// <param name="StageId">The command's <c>StageId</c>.</param>
/// <param name="TaskId">The command's <c>TaskId</c>.</param>
/// <param name="Succeeded">True when a judgement was made (whatever its score); false when none could be (see <paramref name="Error"/>).</param>
/// <param name="Error">Why no judgement was made (a bad config, a metric source that is down), for the stage's errors.</param>
/// <param name="Score">The summary score, 0..100.</param>
/// <param name="Classification"><c>Pass</c>, <c>Marginal</c> or <c>Fail</c>.</param>
/// <param name="ClassificationReason">Why the score was forced to 0, if it was.</param>
/// <param name="MetricClassifications">Each metric's classification (<c>Pass</c>, <c>High</c>, <c>Low</c>, <c>Nodata</c> ...) by metric name.</param>
/// <param name="Warnings">What the judgement could not use (e.g. a metric source down for a metric without <c>mustHaveData</c>).</param>
public sealed record CanaryIntervalJudged(
    string JudgementId,
    string? ExecutionId,
    string? StageId,
    string? TaskId,
    bool Succeeded,
    string? Error,
    double? Score = null,
    string? Classification = null,
    string? ClassificationReason = null,
    IReadOnlyDictionary<string, string>? MetricClassifications = null,
    IReadOnlyList<string>? Warnings = null);
