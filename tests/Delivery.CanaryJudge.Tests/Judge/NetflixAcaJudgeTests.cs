using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Configs;
using Delivery.CanaryJudge.Judge;
using Delivery.CanaryJudge.Tests.TestHost;

namespace Delivery.CanaryJudge.Tests.Judge;

public class NetflixAcaJudgeTests
{
    private static readonly ScoreThresholds Thresholds = new(Marginal: 50, Pass: 75);
    private readonly NetflixAcaJudge _judge = new();

    private static CanaryConfig Read(JsonObject json)
    {
        var errors = new ValidationErrors();
        var config = CanaryConfigReader.Read(json, "", requireName: true, errors);
        Assert.True(errors.IsEmpty, errors.Describe());
        return config!;
    }

    private static double[] Series(int count, double level, int seed) =>
        [.. Enumerable.Range(0, count).Select(i => level + new Random(seed + i).NextDouble())];

    [Fact]
    public void Identical_control_and_experiment_score_100()
    {
        var config = Read(CanaryConfigs.Config("c", [CanaryConfigs.Metric("errors"), CanaryConfigs.Metric("latency", "perf")], ("errors", 60), ("perf", 40)));
        var data = Series(100, 10, 1);

        var result = _judge.Judge(config, [new MetricSet("errors", data, data), new MetricSet("latency", data, [.. data.Reverse()])], Thresholds);

        Assert.Equal(100, result.Score);
        Assert.Equal("Pass", result.Classification);
        Assert.All(result.Metrics, m => Assert.Equal(MetricClassifications.Pass, m.Classification));
        Assert.Equal(["errors", "perf"], result.Groups.Select(g => g.Name));
    }

    [Fact]
    public void A_failing_critical_metric_scores_0_whatever_the_others_do()
    {
        var config = Read(CanaryConfigs.Config("c",
            [CanaryConfigs.Metric("errors", canary: new JsonObject { ["critical"] = true, ["direction"] = "increase" }), CanaryConfigs.Metric("latency", "perf")],
            ("errors", 10), ("perf", 90)));
        var calm = Series(200, 10, 7);

        var result = _judge.Judge(config, [new MetricSet("errors", Series(200, 1, 3), Series(200, 5, 4)), new MetricSet("latency", calm, calm)], Thresholds);

        var errors = result.Metrics.Single(m => m.Name == "errors");
        Assert.Equal(MetricClassifications.High, errors.Classification);
        Assert.True(errors.Critical);
        Assert.Equal(0, result.Score);
        Assert.Equal("Fail", result.Classification);
        Assert.Contains("Critical", result.ClassificationReason);
    }

    [Fact]
    public void A_shift_against_the_direction_passes_and_with_it_fails_its_group()
    {
        var config = Read(CanaryConfigs.Config("c",
            [CanaryConfigs.Metric("up-is-bad", "a", new JsonObject { ["direction"] = "increase" }), CanaryConfigs.Metric("down-is-bad", "b", new JsonObject { ["direction"] = "decrease" })],
            ("a", 50), ("b", 50)));
        var low = Series(100, 10, 11);
        var high = Series(100, 20, 12);

        var result = _judge.Judge(config, [new MetricSet("up-is-bad", low, high), new MetricSet("down-is-bad", low, high)], Thresholds);

        Assert.Equal(MetricClassifications.High, result.Metrics[0].Classification);
        Assert.Equal(MetricClassifications.Pass, result.Metrics[1].Classification);
        Assert.Equal(50, result.Score);
        Assert.Equal("Marginal", result.Classification);
        Assert.True(result.Metrics[0].ConfidenceInterval!.Lower > 9);
        Assert.Equal(result.Metrics[0].ExperimentMean / result.Metrics[0].ControlMean, result.Metrics[0].Ratio);
    }

    [Fact]
    public void An_effect_smaller_than_allowed_is_not_held_against_the_canary()
    {
        var lenient = new JsonObject { ["effectSize"] = new JsonObject { ["allowedIncrease"] = 1.5 } };
        var config = Read(CanaryConfigs.Config("c", [CanaryConfigs.Metric("m", canary: lenient)]));

        // Experiment ~10% higher: significant, but a mean ratio below 1.5.
        var result = _judge.Judge(config, [new MetricSet("m", Series(300, 10, 1), Series(300, 11, 2))], Thresholds);

        Assert.Equal(MetricClassifications.Pass, result.Metrics[0].Classification);
        Assert.InRange(result.Metrics[0].EffectSize!.Value, 1.05, 1.15);
        Assert.True(result.Metrics[0].PValue < 1e-6);
    }

    [Fact]
    public void Cles_effect_size_is_the_share_of_pairs_where_the_experiment_is_higher()
    {
        var cles = new JsonObject { ["effectSize"] = new JsonObject { ["measure"] = "cles", ["allowedIncrease"] = 0.9 } };
        var config = Read(CanaryConfigs.Config("c", [CanaryConfigs.Metric("m", canary: cles)]));

        var result = _judge.Judge(config, [new MetricSet("m", [1, 2, 3, 4], [2.5, 3.5, 4.5, 5.5])], Thresholds);

        // 2.5 beats 2 controls, 3.5 beats 3, 4.5 and 5.5 beat all 4: 13 of 16 pairs.
        Assert.Equal(13.0 / 16, result.Metrics[0].EffectSize);
    }

    [Theory]
    [InlineData("remove", "Nodata", 0.0)]
    [InlineData("replace", "Pass", 100.0)]
    public void All_NaN_data_follows_the_nan_strategy(string strategy, string classification, double score)
    {
        var config = Read(CanaryConfigs.Config("c", [CanaryConfigs.Metric("m", canary: new JsonObject { ["nanStrategy"] = strategy })]));
        double[] nan = [double.NaN, double.NaN, double.NaN];

        var result = _judge.Judge(config, [new MetricSet("m", nan, nan)], Thresholds);

        Assert.Equal(classification, result.Metrics[0].Classification);
        Assert.Equal(score, result.Score);
        Assert.Equal(strategy == "replace" ? 3 : 0, result.Metrics[0].ControlCount);
    }

    [Fact]
    public void Empty_data_with_mustHaveData_fails_the_metric_and_the_canary()
    {
        var config = Read(CanaryConfigs.Config("c", [CanaryConfigs.Metric("m", canary: new JsonObject { ["mustHaveData"] = true }), CanaryConfigs.Metric("other")]));
        var calm = Series(50, 3, 5);

        var result = _judge.Judge(config, [new MetricSet("m", [], []), new MetricSet("other", calm, calm)], Thresholds);

        Assert.Equal(MetricClassifications.NodataFailMetric, result.Metrics[0].Classification);
        Assert.Equal(50, result.Score);
        Assert.Equal("Marginal", result.Classification);
    }

    [Theory]
    [InlineData(false, "NodataFailMetric", 0.0)]
    [InlineData(true, "Nodata", 0.0)]
    public void Empty_data_with_mustHaveData_fails_even_when_NaN_are_replaced(bool critical, string classification, double score)
    {
        var canary = new JsonObject { ["mustHaveData"] = true, ["nanStrategy"] = "replace", ["critical"] = critical };
        var config = Read(CanaryConfigs.Config("c", [CanaryConfigs.Metric("m", canary: canary)]));

        var result = _judge.Judge(config, [new MetricSet("m", [], [])], Thresholds);

        Assert.Equal(classification, result.Metrics[0].Classification);
        Assert.Equal(score, result.Score);
        Assert.Equal("Fail", result.Classification);
    }

    [Fact]
    public void A_metric_without_a_metric_set_is_judged_on_no_data()
    {
        var config = Read(CanaryConfigs.Config("c", [CanaryConfigs.Metric("m")]));

        var result = _judge.Judge(config, [], Thresholds);

        Assert.Equal(MetricClassifications.Nodata, result.Metrics[0].Classification);
        Assert.Equal(0, result.Score);
        Assert.Contains("NODATA", result.ClassificationReason);
    }

    [Fact]
    public void Removing_outliers_keeps_a_single_spike_from_deciding()
    {
        var spiky = Series(200, 10, 21);
        spiky[17] = 10_000;
        var outliers = new JsonObject { ["outliers"] = new JsonObject { ["strategy"] = "remove", ["outlierFactor"] = 3.0 } };
        var config = Read(CanaryConfigs.Config("c", [CanaryConfigs.Metric("m", canary: outliers)]));

        var result = _judge.Judge(config, [new MetricSet("m", Series(200, 10, 21), spiky)], Thresholds);

        Assert.Equal(199, result.Metrics[0].ExperimentCount);
        Assert.Equal(MetricClassifications.Pass, result.Metrics[0].Classification);
    }

    [Fact]
    public void Muted_metrics_are_reported_but_not_scored()
    {
        var config = Read(CanaryConfigs.Config("c", [CanaryConfigs.Metric("loud", canary: new JsonObject { ["muted"] = true }), CanaryConfigs.Metric("quiet")]));
        var calm = Series(60, 1, 9);

        var result = _judge.Judge(config, [new MetricSet("loud", calm, Series(60, 50, 9)), new MetricSet("quiet", calm, calm)], Thresholds);

        Assert.Equal(MetricClassifications.High, result.Metrics[0].Classification);
        Assert.Equal(100, result.Score);
    }
}
