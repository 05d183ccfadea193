using Delivery.CanaryJudge.Statistics;

namespace Delivery.CanaryJudge.Judge;

/// <summary>What the classifier decided about one metric, and the test behind it (if one ran).</summary>
internal sealed record ClassifierOutcome(string Classification, string? Reason, bool Critical, double Deviation, MannWhitneyResult? Test, double EffectSize);

/// <summary>
/// Classifies one metric as Kayenta's <c>MannWhitneyClassifier</c> does: no data, identical data,
/// then a Mann-Whitney test of experiment against control whose confidence interval of the shift must
/// clear a band of ±tolerance·|estimate| around zero, in the configured direction, with an effect size
/// past the allowed one, to be High or Low; critical metrics fail the canary past the critical effect size.
/// </summary>
/// <param name="confidenceLevel">Of the interval (Kayenta's judge uses 0.98; R's and our default 0.95).</param>
/// <param name="tolerance">The band around zero as a fraction of the estimate (Kayenta: 0.25).</param>
internal sealed class MannWhitneyClassifier(double confidenceLevel, double tolerance = 0.25)
{
    /// <param name="name">The metric's name, for the reasons.</param>
    /// <param name="control">Ascending, no NaN.</param>
    /// <param name="experiment">Ascending, no NaN.</param>
    /// <param name="analysis">How the metric is judged.</param>
    public ClassifierOutcome Classify(string name, double[] control, double[] experiment, MetricAnalysis analysis)
    {
        if (control.Length == 0 || experiment.Length == 0)
        {
            // Kayenta passes a metric without data under nanStrategy replace; mustHaveData wins here,
            // so that a metric source that is down cannot pass a canary that requires the metric.
            if (analysis.NanStrategy == NanStrategy.Replace && !analysis.MustHaveData)
            {
                return new(MetricClassifications.Pass, null, false, 1.0, null, double.NaN);
            }
            var reason = $"Missing data for {name}";
            return analysis.MustHaveData && !analysis.Critical
                ? new(MetricClassifications.NodataFailMetric, reason, false, 1.0, null, double.NaN)
                : new(MetricClassifications.Nodata, reason, analysis.Critical, 1.0, null, double.NaN);
        }
        if (control.AsSpan().SequenceEqual(experiment))
        {
            return new(MetricClassifications.Pass, "The Canary and Baseline data are identical", false, 1.0, null, double.NaN);
        }
        if (control[0] == control[^1] && experiment[0] == experiment[^1] && control[0] == experiment[0])
        {
            return new(MetricClassifications.Pass, null, false, 1.0, null, double.NaN);
        }

        var test = MannWhitneyTest.RunSorted(experiment, control, confidenceLevel);
        var deviation = Descriptive.MeanRatio(Descriptive.Mean(control), Descriptive.Mean(experiment));
        var effectSize = analysis.Measure == EffectSizeMeasure.Cles
            ? test.U / ((double)control.Length * experiment.Length)
            : deviation;
        var bound = tolerance * Math.Abs(test.Estimate);
        // An effect size that cannot be computed (a zero mean) does not hold a classification back.
        var isHigh = analysis.Direction != MetricDirection.Decrease && test.Lower > bound
            && (double.IsNaN(effectSize) || effectSize >= analysis.AllowedIncrease);
        var isLow = analysis.Direction != MetricDirection.Increase && test.Upper < -bound
            && (double.IsNaN(effectSize) || effectSize <= analysis.AllowedDecrease);
        if (isHigh)
        {
            var critical = analysis.Critical && (double.IsNaN(effectSize) || effectSize >= analysis.CriticalIncrease);
            return new(MetricClassifications.High, critical ? $"The metric {name} was classified as High (Critical)" : $"{name} was classified as High",
                critical, deviation, test, effectSize);
        }
        if (isLow)
        {
            var critical = analysis.Critical && (double.IsNaN(effectSize) || effectSize <= analysis.CriticalDecrease);
            return new(MetricClassifications.Low, critical ? $"The metric {name} was classified as Low (Critical)" : $"{name} was classified as Low",
                critical, deviation, test, effectSize);
        }
        return new(MetricClassifications.Pass, null, false, deviation, test, effectSize);
    }
}
