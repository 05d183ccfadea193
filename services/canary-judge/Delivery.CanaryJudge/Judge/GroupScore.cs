namespace Delivery.CanaryJudge.Judge;

/// <summary>
/// One group's score: the share (0-100) of its judged metrics that passed (Kayenta's
/// <c>WeightedSumScorer</c>). A group with no judged metric has <paramref name="NoData"/> and
/// counts as 100 in the summary.
/// </summary>
public sealed record GroupScore(string Name, double Score, bool NoData, double Weight);
