namespace Delivery.Contracts.CanaryJudge;

/// <summary>
/// Command to canary-judge: fetch every metric of a canary config for the control and experiment scopes over
/// [<see cref="Start"/>, <see cref="End"/>], judge them (NetflixACAJudge) and store the report. Answered by
/// <see cref="CanaryIntervalJudged"/> carrying the same ids. A redelivered command (same <see cref="JudgementId"/>)
/// is answered from the stored report instead of being judged again.
/// </summary>
/// <param name="JudgementId">Unique per interval and the report's id (<c>GET /v2/canaries/{id}</c>): letters, digits, '-', '_', ':' and '.'.</param>
/// <param name="CanaryConfigId">A stored canary config's id; or null with <paramref name="CanaryConfigJson"/>.</param>
/// <param name="CanaryConfigJson">An inline canary config (Kayenta's JSON) when no id is given.</param>
/// <param name="Scopes">At least one scope; a metric's <c>scopeName</c> picks one, or the first when it names none.</param>
/// <param name="Start">First point's time.</param>
/// <param name="End">Last point's time (inclusive).</param>
/// <param name="StepSeconds">Time between points, in seconds (positive).</param>
/// <param name="MarginalThreshold">Scores below this fail (0..100).</param>
/// <param name="PassThreshold">Scores at or above this pass (0..100).</param>
/// <param name="ExecutionId">Correlation: the execution waiting for the answer, echoed back.</param>
/// <param name="StageId">Correlation: the stage waiting for the answer, echoed back.</param>
/// <param name="TaskId">Correlation: the task waiting for the answer, echoed back.</param>
public sealed record JudgeCanaryInterval(
    string JudgementId,
    string? CanaryConfigId,
    string? CanaryConfigJson,
    IReadOnlyList<CanaryScope> Scopes,
    DateTimeOffset Start,
    DateTimeOffset End,
    double StepSeconds,
    double MarginalThreshold,
    double PassThreshold,
    string? ExecutionId = null,
    string? StageId = null,
    string? TaskId = null);
