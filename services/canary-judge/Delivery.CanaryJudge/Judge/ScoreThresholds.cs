namespace Delivery.CanaryJudge.Judge;

/// <summary>
/// Kayenta's <c>CanaryClassifierThresholdsConfig</c>: a score at or above <paramref name="Pass"/>
/// passes, at or above <paramref name="Marginal"/> is marginal, below it fails. Both in 0..100,
/// marginal not above pass.
/// </summary>
public sealed record ScoreThresholds(double Marginal, double Pass);
