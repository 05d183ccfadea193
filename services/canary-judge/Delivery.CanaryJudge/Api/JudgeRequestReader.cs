using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Configs;
using Delivery.CanaryJudge.Judge;

namespace Delivery.CanaryJudge.Api;

/// <summary>A judge request read and validated: the config, the metric sets and the thresholds.</summary>
internal sealed record JudgeRequest(CanaryConfig Config, IReadOnlyList<MetricSet> MetricSets, ScoreThresholds Thresholds);

/// <summary>
/// Reads <c>{canaryConfig | canaryConfigId, metricSets: [{name, control, experiment}], scoreThresholds}</c>,
/// recording every problem under its field's path. Points are numbers or null (a missing point, NaN);
/// their number per side and the number of metrics are bounded by <see cref="CanaryJudgeOptions"/>.
/// </summary>
internal static class JudgeRequestReader
{
    /// <summary>Values beyond this could make differences or sums overflow to infinity.</summary>
    private const double MaxMagnitude = 1e150;

    public static JudgeRequest? Read(JsonElement root, JsonObject? storedConfig, CanaryJudgeOptions options, ValidationErrors errors)
    {
        CanaryConfig? config = null;
        JsonObject? configJson = storedConfig;
        if (configJson is null && root.TryGetProperty("canaryConfig", out var inline))
        {
            configJson = inline.ValueKind == JsonValueKind.Object ? JsonNode.Parse(inline.GetRawText())!.AsObject() : null;
            if (configJson is null)
            {
                errors.Add("canaryConfig", "must be an object.");
            }
        }
        else if (configJson is null)
        {
            errors.Add("canaryConfig", "is required (or canaryConfigId, the id of a stored config).");
        }
        if (configJson is not null)
        {
            config = CanaryConfigReader.Read(configJson, "canaryConfig.", requireName: false, errors);
            if (config is not null && config.Metrics.Count > options.MaxMetrics)
            {
                errors.Add("canaryConfig.metrics", $"has {config.Metrics.Count} metrics; at most {options.MaxMetrics} are allowed.");
            }
        }

        ScoreThresholds? thresholds = null;
        if (root.TryGetProperty("scoreThresholds", out var given))
        {
            if (given.ValueKind == JsonValueKind.Object)
            {
                thresholds = CanaryConfigReader.ReadThresholds(JsonNode.Parse(given.GetRawText())!.AsObject(), "scoreThresholds", errors);
            }
            else
            {
                errors.Add("scoreThresholds", "must be an object {marginal, pass}.");
            }
        }
        else if (configJson?["classifier"]?["scoreThresholds"] is JsonObject fromConfig)
        {
            thresholds = CanaryConfigReader.ReadThresholds(fromConfig, "canaryConfig.classifier.scoreThresholds", errors);
        }
        else
        {
            errors.Add("scoreThresholds", "is required: {marginal, pass}, each 0..100.");
        }

        var sets = ReadMetricSets(root, config, options, errors);
        return errors.IsEmpty ? new JudgeRequest(config!, sets, thresholds!) : null;
    }

    private static List<MetricSet> ReadMetricSets(JsonElement root, CanaryConfig? config, CanaryJudgeOptions options, ValidationErrors errors)
    {
        var sets = new List<MetricSet>();
        if (!root.TryGetProperty("metricSets", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            errors.Add("metricSets", "is required: an array of {name, control: [...], experiment: [...]}.");
            return sets;
        }
        if (array.GetArrayLength() > options.MaxMetrics)
        {
            errors.Add("metricSets", $"has {array.GetArrayLength()} entries; at most {options.MaxMetrics} are allowed.");
            return sets;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"metricSets[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, "must be an object.");
                continue;
            }
            if (!item.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String || nameElement.GetString() is not { Length: > 0 } name)
            {
                errors.Add(path + ".name", "is required: the name of a metric of the canary config.");
                continue;
            }
            if (config is not null && !config.Metrics.Any(m => m.Name == name))
            {
                errors.Add(path + ".name", $"the canary config has no metric named '{name}'.");
            }
            if (!names.Add(name))
            {
                errors.Add(path + ".name", $"'{name}' is given twice.");
            }
            var control = ReadPoints(item, "control", path, options, errors);
            var experiment = ReadPoints(item, "experiment", path, options, errors);
            if (control is not null && experiment is not null)
            {
                sets.Add(new MetricSet(name, control, experiment));
            }
        }
        return sets;
    }

    private static double[]? ReadPoints(JsonElement set, string side, string path, CanaryJudgeOptions options, ValidationErrors errors)
    {
        var field = $"{path}.{side}";
        if (!set.TryGetProperty(side, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(field, "is required: an array of numbers (null for a missing point).");
            return null;
        }
        var count = array.GetArrayLength();
        if (count > options.MaxPointsPerSide)
        {
            errors.Add(field, $"has {count} points; at most {options.MaxPointsPerSide} are allowed per side.");
            return null;
        }
        var points = new double[count];
        var i = 0;
        foreach (var point in array.EnumerateArray())
        {
            if (point.ValueKind == JsonValueKind.Null)
            {
                points[i++] = double.NaN;
            }
            else if (point.ValueKind == JsonValueKind.Number && point.TryGetDouble(out var value) && Math.Abs(value) <= MaxMagnitude)
            {
                points[i++] = value;
            }
            else
            {
                errors.Add($"{field}[{i}]", $"must be a number within ±1e150 or null, not {point.GetRawText()}.");
                return null;
            }
        }
        return points;
    }
}
