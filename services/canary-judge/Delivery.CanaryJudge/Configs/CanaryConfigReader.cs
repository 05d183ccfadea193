using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Delivery.CanaryJudge.Judge;

namespace Delivery.CanaryJudge.Configs;

/// <summary>
/// Reads and validates Kayenta's canary config JSON (<c>CanaryConfig</c>, <c>CanaryMetricConfig</c>,
/// <c>CanaryClassifierConfig</c>, the <c>analysisConfigurations.canary</c> block NetflixACAJudge reads).
/// Every problem is recorded under the path of its field. Unlike Kayenta, which falls back silently,
/// an unknown direction, NaN strategy, outlier strategy or effect-size measure is an error, every group
/// a metric names must have a weight and the weights must total 100: a typo must not quietly change
/// how a canary is judged.
/// </summary>
public static partial class CanaryConfigReader
{
    /// <summary>Kayenta's <c>CanaryConfigController</c> name rule.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();

    /// <summary>The config, or null with the problems (paths prefixed by <paramref name="prefix"/>).</summary>
    /// <param name="config">The config JSON.</param>
    /// <param name="prefix">Prefix of every reported field, e.g. <c>canaryConfig.</c> inside a judge request.</param>
    /// <param name="requireName">Stored configs need a name (Kayenta: letters, digits, '-' and '_').</param>
    /// <param name="errors">Receives the problems.</param>
    public static CanaryConfig? Read(JsonObject config, string prefix, bool requireName, ValidationErrors errors)
    {
        var name = JsonFields.String(config, "name", prefix + "name", errors, requireName);
        if (requireName && !string.IsNullOrEmpty(name) && !NamePattern().IsMatch(name))
        {
            errors.Add(prefix + "name", $"'{name}' may contain only letters, digits, '-' and '_'.");
        }
        var weights = ReadGroupWeights(config, prefix, errors);
        var metrics = new List<CanaryMetric>();
        if (config["metrics"] is not JsonArray array || array.Count == 0)
        {
            errors.Add(prefix + "metrics", config["metrics"] is null or JsonArray ? "must list at least one metric." : "must be an array.");
        }
        else
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < array.Count; i++)
            {
                var path = $"{prefix}metrics[{i}]";
                if (array[i] is not JsonObject metric)
                {
                    errors.Add(path, "must be an object.");
                    continue;
                }
                if (ReadMetric(metric, path, weights, errors) is { } read)
                {
                    if (!names.Add(read.Name))
                    {
                        errors.Add(path + ".name", $"'{read.Name}' is used by another metric; names must be unique.");
                    }
                    metrics.Add(read);
                }
            }
        }
        return errors.IsEmpty ? new CanaryConfig(name, metrics, weights ?? new Dictionary<string, double>()) : null;
    }

    /// <summary>Reads <c>{marginal, pass}</c>: both required, in 0..100, marginal not above pass.</summary>
    public static ScoreThresholds? ReadThresholds(JsonObject thresholds, string path, ValidationErrors errors)
    {
        var before = errors.Count;
        var marginal = JsonFields.Number(thresholds, "marginal", path + ".marginal", errors, 0, 100);
        var pass = JsonFields.Number(thresholds, "pass", path + ".pass", errors, 0, 100);
        if (thresholds["marginal"] is null)
        {
            errors.Add(path + ".marginal", "is required.");
        }
        if (thresholds["pass"] is null)
        {
            errors.Add(path + ".pass", "is required.");
        }
        if (marginal > pass)
        {
            errors.Add(path + ".marginal", $"must not be above pass ({Text(marginal.Value)} > {Text(pass!.Value)}).");
        }
        return errors.Count == before && marginal is { } m && pass is { } p ? new ScoreThresholds(m, p) : null;
    }

    private static Dictionary<string, double>? ReadGroupWeights(JsonObject config, string prefix, ValidationErrors errors)
    {
        var classifier = JsonFields.Object(config, "classifier", prefix + "classifier", errors, required: true);
        if (classifier is null)
        {
            return null;
        }
        var weights = JsonFields.Object(classifier, "groupWeights", prefix + "classifier.groupWeights", errors, required: true);
        if (weights is null)
        {
            return null;
        }
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (group, _) in weights)
        {
            if (JsonFields.Number(weights, group, $"{prefix}classifier.groupWeights.{group}", errors, 0, 100) is { } weight)
            {
                result[group] = weight;
            }
        }
        var sum = result.Values.Sum();
        if (result.Count == weights.Count && Math.Abs(sum - 100) > 1e-9)
        {
            errors.Add(prefix + "classifier.groupWeights", $"must total 100, not {Text(sum)}.");
        }
        if (classifier["scoreThresholds"] is JsonObject thresholds)
        {
            ReadThresholds(thresholds, prefix + "classifier.scoreThresholds", errors);
        }
        return result;
    }

    private static CanaryMetric? ReadMetric(JsonObject metric, string path, Dictionary<string, double>? weights, ValidationErrors errors)
    {
        var name = JsonFields.String(metric, "name", path + ".name", errors, required: true);
        var query = JsonFields.Object(metric, "query", path + ".query", errors, required: true);
        string? type = null;
        if (query is not null)
        {
            type = JsonFields.String(query, "type", path + ".query.type", errors, required: true);
            if (type is not null && !MetricSourceTypes.Known.Contains(type, StringComparer.Ordinal))
            {
                errors.Add(path + ".query.type", $"unknown metric source '{type}'; known sources are {string.Join(", ", MetricSourceTypes.Known)}.");
            }
            if (type == MetricSourceTypes.Prometheus
                && string.IsNullOrWhiteSpace(JsonFields.String(query, "metricName", path + ".query.metricName", errors))
                && string.IsNullOrWhiteSpace(JsonFields.String(query, "customInlineTemplate", path + ".query.customInlineTemplate", errors)))
            {
                errors.Add(path + ".query.metricName", "a prometheus query needs a metricName or a customInlineTemplate.");
            }
            if (type == MetricSourceTypes.Local
                && JsonFields.String(query, "metricName", path + ".query.metricName", errors) is var local
                && !Metrics.LocalBalancerMetricSource.MetricNames.Contains(local ?? "", StringComparer.Ordinal))
            {
                errors.Add(path + ".query.metricName", $"a local query's metricName must be one of {string.Join(", ", Metrics.LocalBalancerMetricSource.MetricNames)}.");
            }
        }
        var groups = ReadGroups(metric, path, weights, errors);
        var analysis = ReadAnalysis(metric, path, errors);
        return name is null || type is null || groups is null ? null : new CanaryMetric(name, type, groups, analysis);
    }

    private static List<string>? ReadGroups(JsonObject metric, string path, Dictionary<string, double>? weights, ValidationErrors errors)
    {
        if (metric["groups"] is not JsonArray array || array.Count == 0)
        {
            errors.Add(path + ".groups", "must name at least one group (a metric outside every group is never scored).");
            return null;
        }
        var groups = new List<string>();
        for (var j = 0; j < array.Count; j++)
        {
            var groupPath = $"{path}.groups[{j}]";
            if (array[j] is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetValue<string>()))
            {
                errors.Add(groupPath, "must be a group name.");
                continue;
            }
            var group = v.GetValue<string>();
            if (weights is not null && !weights.ContainsKey(group))
            {
                errors.Add(groupPath, $"group '{group}' has no weight in classifier.groupWeights.");
            }
            if (!groups.Contains(group))
            {
                groups.Add(group);
            }
        }
        return groups;
    }

    private static MetricAnalysis ReadAnalysis(JsonObject metric, string path, ValidationErrors errors)
    {
        var analysis = new MetricAnalysis();
        var configurations = JsonFields.Object(metric, "analysisConfigurations", path + ".analysisConfigurations", errors);
        var p = path + ".analysisConfigurations.canary";
        if (configurations is null || JsonFields.Object(configurations, "canary", p, errors) is not { } canary)
        {
            return analysis;
        }
        analysis = analysis with
        {
            Direction = JsonFields.OneOf(canary, "direction", p + ".direction", errors, "increase", "decrease", "either") switch
            {
                "increase" => MetricDirection.Increase,
                "decrease" => MetricDirection.Decrease,
                _ => MetricDirection.Either,
            },
            NanStrategy = JsonFields.OneOf(canary, "nanStrategy", p + ".nanStrategy", errors, "remove", "replace") == "replace" ? NanStrategy.Replace : NanStrategy.Remove,
            Critical = JsonFields.Bool(canary, "critical", p + ".critical", errors) ?? false,
            MustHaveData = JsonFields.Bool(canary, "mustHaveData", p + ".mustHaveData", errors) ?? false,
            Muted = JsonFields.Bool(canary, "muted", p + ".muted", errors) ?? false,
        };
        if (JsonFields.Object(canary, "outliers", p + ".outliers", errors) is { } outliers)
        {
            analysis = analysis with
            {
                Outliers = JsonFields.OneOf(outliers, "strategy", p + ".outliers.strategy", errors, "remove", "keep") == "remove" ? OutlierStrategy.Remove : OutlierStrategy.Keep,
                OutlierFactor = JsonFields.Number(outliers, "outlierFactor", p + ".outliers.outlierFactor", errors, 1e-9, 1e6) ?? analysis.OutlierFactor,
            };
        }
        if (JsonFields.Object(canary, "effectSize", p + ".effectSize", errors) is { } effect)
        {
            var cles = JsonFields.OneOf(effect, "measure", p + ".effectSize.measure", errors, "meanRatio", "cles") == "cles";
            var fallback = cles ? 0.5 : 1.0;
            var max = cles ? 1.0 : 1e6;
            double Read(string field) => JsonFields.Number(effect, field, $"{p}.effectSize.{field}", errors, 0, max) ?? fallback;
            analysis = analysis with
            {
                Measure = cles ? EffectSizeMeasure.Cles : EffectSizeMeasure.MeanRatio,
                AllowedIncrease = Read("allowedIncrease"),
                AllowedDecrease = Read("allowedDecrease"),
                CriticalIncrease = Read("criticalIncrease"),
                CriticalDecrease = Read("criticalDecrease"),
            };
        }
        return analysis;
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
