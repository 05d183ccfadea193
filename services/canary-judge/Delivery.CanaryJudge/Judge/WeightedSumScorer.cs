namespace Delivery.CanaryJudge.Judge;

/// <summary>
/// Kayenta's <c>WeightedSumScorer</c> and <c>ThresholdScoreClassifier</c>: each group scores the share
/// of its Pass among its Pass, High, Low and NodataFailMetric results; the summary is the weighted sum
/// of the group scores (a group without judged metrics counts as 100), rounded half up to two decimals.
/// A failed critical metric, or Nodata in half the scored metrics or more, forces the score to 0.
/// Muted metrics are not scored.
/// </summary>
internal static class WeightedSumScorer
{
    private const double NodataThresholdPercent = 50;

    public static (double Score, string Classification, string? Reason, IReadOnlyList<GroupScore> Groups) Score(
        CanaryConfig config, IReadOnlyList<MetricResult> results, ScoreThresholds thresholds)
    {
        var scored = results.Where(r => !r.Muted).ToList();
        var groups = GroupScores(config, scored);

        string? reason = null;
        double score;
        if (scored.FirstOrDefault(r => r.Critical && r.Classification != MetricClassifications.Pass) is { } failure)
        {
            reason = $"Canary Failed: {failure.Reason}";
            score = 0;
        }
        else if (scored.Count > 0 && 100.0 * scored.Count(r => r.Classification == MetricClassifications.Nodata) / scored.Count >= NodataThresholdPercent)
        {
            reason = $"Canary Failed: {NodataThresholdPercent}% or more metrics returned NODATA";
            score = 0;
        }
        else
        {
            score = Math.Round(groups.Sum(g => (g.NoData ? 100.0 : g.Score) * g.Weight / 100), 2, MidpointRounding.AwayFromZero);
        }
        var classification = score >= thresholds.Pass ? "Pass" : score >= thresholds.Marginal ? "Marginal" : "Fail";
        return (score, classification, reason, groups);
    }

    private static List<GroupScore> GroupScores(CanaryConfig config, List<MetricResult> scored)
    {
        var names = new List<string>();
        foreach (var metric in config.Metrics)
        {
            foreach (var group in metric.Groups)
            {
                if (!names.Contains(group))
                {
                    names.Add(group);
                }
            }
        }
        var weighted = config.GroupWeights.Values.Sum();
        var unweighted = names.Count(n => !config.GroupWeights.ContainsKey(n));
        var share = unweighted > 0 ? (100 - weighted) / unweighted : 0;

        var groups = new List<GroupScore>();
        foreach (var name in names)
        {
            var labels = scored.Where(r => r.Groups.Contains(name)).Select(r => r.Classification).ToList();
            var pass = labels.Count(l => l == MetricClassifications.Pass);
            var total = labels.Count(l => l is MetricClassifications.Pass or MetricClassifications.High
                or MetricClassifications.Low or MetricClassifications.NodataFailMetric);
            // Kayenta only knows groups that have results; a group of muted metrics alone is left out.
            if (labels.Count == 0)
            {
                continue;
            }
            groups.Add(new GroupScore(name, total == 0 ? 0 : 100.0 * pass / total, total == 0,
                config.GroupWeights.TryGetValue(name, out var weight) ? weight : share));
        }
        return groups;
    }
}
