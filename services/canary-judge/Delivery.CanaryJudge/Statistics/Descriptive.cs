namespace Delivery.CanaryJudge.Statistics;

/// <summary>The few descriptive statistics the judge needs (Kayenta's <c>DescriptiveStatistics</c> and <c>EffectSizes</c>).</summary>
public static class Descriptive
{
    /// <summary>Arithmetic mean; NaN for no values.</summary>
    public static double Mean(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }
        return sum / values.Length;
    }

    /// <summary>
    /// The p-th percentile (p in 0..100) of ascending values with R's type 7 interpolation, as
    /// commons-math's <c>Percentile</c> with <c>EstimationType.R_7</c>; NaN for no values.
    /// </summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.IsEmpty)
        {
            return double.NaN;
        }
        var h = (sorted.Length - 1) * p / 100;
        var low = (int)Math.Floor(h);
        if (low >= sorted.Length - 1)
        {
            return sorted[^1];
        }
        return sorted[low] + (h - low) * (sorted[low + 1] - sorted[low]);
    }

    /// <summary>
    /// Kayenta's mean ratio effect size: mean(experiment) / mean(control), NaN when either mean is
    /// zero (<c>EffectSizes.meanRatio</c>).
    /// </summary>
    public static double MeanRatio(double controlMean, double experimentMean) =>
        controlMean == 0 || experimentMean == 0 ? double.NaN : experimentMean / controlMean;
}
