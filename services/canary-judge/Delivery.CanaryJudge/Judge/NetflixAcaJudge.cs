using Delivery.CanaryJudge.Statistics;

namespace Delivery.CanaryJudge.Judge;

/// <summary>
/// Judges a canary as Kayenta's <c>NetflixACAJudge</c>: for every metric of the config, NaN handling,
/// optional IQR outlier removal on each side, a Mann-Whitney classification, then the weighted group
/// scores and the summary against the thresholds. A metric without a metric set is judged on no data.
/// </summary>
public sealed class NetflixAcaJudge(double confidenceLevel = 0.95)
{
    private readonly MannWhitneyClassifier _classifier = new(confidenceLevel);

    /// <summary>Judges the metric sets (names already matched to the config's metrics); the result has no id yet.</summary>
    public CanaryJudgement Judge(CanaryConfig config, IReadOnlyList<MetricSet> metricSets, ScoreThresholds thresholds)
    {
        var byName = metricSets.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var results = new List<MetricResult>(config.Metrics.Count);
        foreach (var metric in config.Metrics)
        {
            var set = byName.GetValueOrDefault(metric.Name) ?? new MetricSet(metric.Name, [], []);
            results.Add(JudgeMetric(metric, set));
        }
        var (score, classification, reason, groups) = WeightedSumScorer.Score(config, results, thresholds);
        return new CanaryJudgement("", score, classification, reason, groups, results);
    }

    private MetricResult JudgeMetric(CanaryMetric metric, MetricSet set)
    {
        var analysis = metric.Analysis;
        var control = Prepare(set.Control, analysis);
        var experiment = Prepare(set.Experiment, analysis);
        ClassifierOutcome outcome;
        try
        {
            outcome = _classifier.Classify(metric.Name, control, experiment, analysis);
        }
        // As Kayenta, a metric that cannot be judged is reported as Error instead of failing every other metric's judgement.
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            outcome = new(MetricClassifications.Error, $"Metric classification failed: {e.Message}", false, double.NaN, null, double.NaN);
        }
        var test = outcome.Test;
        return new MetricResult(
            metric.Name,
            outcome.Classification,
            outcome.Reason,
            outcome.Critical,
            analysis.Muted,
            metric.Groups,
            Finite(Descriptive.Mean(control)),
            Finite(Descriptive.Mean(experiment)),
            Finite(outcome.Deviation),
            test is { } t ? new ConfidenceInterval(t.Lower, t.Upper) : null,
            test?.Estimate,
            test?.U,
            Finite(test?.PValue ?? double.NaN),
            Finite(outcome.EffectSize),
            control.Length,
            experiment.Length);
    }

    /// <summary>NaN handling and outlier removal; the result is a new ascending array (the order of points plays no part in the judgement).</summary>
    private static double[] Prepare(double[] values, MetricAnalysis analysis)
    {
        var cleaned = MetricTransforms.HandleNaNs(values, analysis.NanStrategy);
        var sorted = ReferenceEquals(cleaned, values) ? (double[])values.Clone() : cleaned;
        Array.Sort(sorted);
        return analysis.Outliers == OutlierStrategy.Remove ? MetricTransforms.RemoveOutliers(sorted, analysis.OutlierFactor) : sorted;
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
