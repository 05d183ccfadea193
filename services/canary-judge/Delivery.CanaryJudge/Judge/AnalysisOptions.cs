namespace Delivery.CanaryJudge.Judge;

/// <summary>Which change of a metric counts against the canary (<c>analysisConfigurations.canary.direction</c>).</summary>
public enum MetricDirection
{
    Either,
    Increase,
    Decrease,
}

/// <summary>What happens to NaN points (<c>nanStrategy</c>): dropped, or counted as 0.</summary>
public enum NanStrategy
{
    Remove,
    Replace,
}

/// <summary>Whether IQR outliers are dropped before the test (<c>outliers.strategy</c>).</summary>
public enum OutlierStrategy
{
    Keep,
    Remove,
}

/// <summary>How the size of a change is measured (<c>effectSize.measure</c>).</summary>
public enum EffectSizeMeasure
{
    /// <summary>mean(experiment) / mean(control); thresholds around 1.0.</summary>
    MeanRatio,

    /// <summary>Common language effect size: the share of (experiment, control) pairs where experiment is higher; thresholds around 0.5.</summary>
    Cles,
}
