namespace Delivery.CanaryJudge.Judge;

/// <summary>
/// A metric's <c>analysisConfigurations.canary</c> block, with Kayenta's defaults
/// (<c>NetflixACAJudge.classifyMetric</c>): direction either, NaN removed, outliers kept (factor 3),
/// effect sizes that never hold a change back (1.0 for mean ratio, 0.5 for CLES).
/// </summary>
public sealed record MetricAnalysis
{
    public MetricDirection Direction { get; init; } = MetricDirection.Either;
    public NanStrategy NanStrategy { get; init; } = NanStrategy.Remove;
    public bool Critical { get; init; }
    public bool MustHaveData { get; init; }
    public bool Muted { get; init; }
    public OutlierStrategy Outliers { get; init; } = OutlierStrategy.Keep;
    public double OutlierFactor { get; init; } = 3.0;
    public EffectSizeMeasure Measure { get; init; } = EffectSizeMeasure.MeanRatio;

    /// <summary>A High needs an effect size at or above this.</summary>
    public double AllowedIncrease { get; init; } = 1.0;

    /// <summary>A Low needs an effect size at or below this.</summary>
    public double AllowedDecrease { get; init; } = 1.0;

    /// <summary>A critical metric's High fails the canary only at or above this effect size.</summary>
    public double CriticalIncrease { get; init; } = 1.0;

    /// <summary>A critical metric's Low fails the canary only at or below this effect size.</summary>
    public double CriticalDecrease { get; init; } = 1.0;
}
