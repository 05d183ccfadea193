namespace Delivery.CanaryJudge.Judge;

/// <summary>How one metric was judged. Values that could not be computed are null.</summary>
/// <param name="Name">The metric's name in the config.</param>
/// <param name="Classification">One of <see cref="MetricClassifications"/>.</param>
/// <param name="Reason">Why, when not a plain Pass.</param>
/// <param name="Critical">True when this result fails the whole canary (score 0).</param>
/// <param name="Muted">Muted metrics are reported but not scored.</param>
/// <param name="Groups">The groups it counts in.</param>
/// <param name="ControlMean">Mean of the control points after NaN and outlier handling.</param>
/// <param name="ExperimentMean">Mean of the experiment points after NaN and outlier handling.</param>
/// <param name="Ratio">Kayenta's deviation: experiment mean / control mean (1.0 when not tested).</param>
/// <param name="ConfidenceInterval">Confidence interval of the shift experiment - control.</param>
/// <param name="Estimate">Hodges-Lehmann estimate of the shift experiment - control.</param>
/// <param name="UStatistic">Mann-Whitney U of the experiment (R's W).</param>
/// <param name="PValue">Two-sided p-value of the Mann-Whitney test.</param>
/// <param name="EffectSize">The configured effect size (mean ratio or CLES).</param>
/// <param name="ControlCount">Control points judged (after NaN and outlier handling).</param>
/// <param name="ExperimentCount">Experiment points judged (after NaN and outlier handling).</param>
public sealed record MetricResult(
    string Name,
    string Classification,
    string? Reason,
    bool Critical,
    bool Muted,
    IReadOnlyList<string> Groups,
    double? ControlMean,
    double? ExperimentMean,
    double? Ratio,
    ConfidenceInterval? ConfidenceInterval,
    double? Estimate,
    double? UStatistic,
    double? PValue,
    double? EffectSize,
    int ControlCount,
    int ExperimentCount);
