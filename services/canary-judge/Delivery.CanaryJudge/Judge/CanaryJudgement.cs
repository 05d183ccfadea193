namespace Delivery.CanaryJudge.Judge;

/// <summary>
/// The answer of <c>POST /v2/canaries/judge</c> and the heart of a stored report: the summary score
/// (0-100, two decimals), its classification (<c>Pass</c>, <c>Marginal</c>, <c>Fail</c>), the group
/// scores and every metric's result.
/// </summary>
/// <param name="Id">The report's id (<c>GET /v2/canaries/{id}</c>); empty until stored.</param>
/// <param name="Score">Weighted sum of the group scores; 0 when a critical metric failed or half the metrics had no data.</param>
/// <param name="Classification">The score against the thresholds.</param>
/// <param name="ClassificationReason">Why the score was forced to 0, if it was.</param>
/// <param name="Groups">One score per group, in the order the config first names them.</param>
/// <param name="Metrics">One result per metric of the config, in its order.</param>
public sealed record CanaryJudgement(
    string Id,
    double Score,
    string Classification,
    string? ClassificationReason,
    IReadOnlyList<GroupScore> Groups,
    IReadOnlyList<MetricResult> Metrics);
