using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.CanaryJudge.Stages.Support;

/// <summary>
/// One metric of an <c>analysis</c> stage, as Argo Rollouts' <c>AnalysisTemplate</c> metrics: <c>name</c>,
/// <c>interval</c> and <c>initialDelay</c> (<c>30s</c>, <c>5m</c>, ISO-8601 or seconds), <c>count</c> (1),
/// <c>successCondition</c> and/or <c>failureCondition</c>, <c>failureLimit</c> (0), <c>inconclusiveLimit</c> (0),
/// <c>consecutiveErrorLimit</c> (4), and the query: <c>query</c> as in a canary config (<c>{type: prometheus | local, ...}</c>)
/// or Argo's <c>provider.prometheus.query</c>, with <c>scope</c> and <c>location</c> for its placeholders.
/// </summary>
internal sealed record AnalysisMetric(
    string Name,
    TimeSpan Interval,
    TimeSpan InitialDelay,
    int Count,
    Condition? SuccessCondition,
    Condition? FailureCondition,
    int FailureLimit,
    int InconclusiveLimit,
    int ConsecutiveErrorLimit,
    JsonObject Query,
    string Scope,
    string? Location)
{
    /// <summary>Most metrics one stage measures.</summary>
    public const int MaxMetrics = 10;

    /// <summary>The metrics of the stage's context.</summary>
    /// <exception cref="StageInputException">A field is missing or invalid; the message names it.</exception>
    public static IReadOnlyList<AnalysisMetric> ReadAll(JsonObject stage)
    {
        if (stage["metrics"] is not JsonArray { Count: > 0 and <= MaxMetrics } array)
        {
            throw new StageInputException($"metrics must list 1..{MaxMetrics} metrics {{name, interval, count, successCondition, query}}.");
        }
        var metrics = new List<AnalysisMetric>();
        for (var i = 0; i < array.Count; i++)
        {
            var path = $"metrics[{i}]";
            var m = array[i] as JsonObject ?? throw new StageInputException($"{path} must be an object.");
            var name = StageSettings.Text(m, "name") ?? throw new StageInputException($"{path}.name is required.");
            if (metrics.Any(other => other.Name == name))
            {
                throw new StageInputException($"{path}.name '{name}' is used twice.");
            }
            var success = StageSettings.Text(m, "successCondition") is { } s ? Condition.Parse(s, $"{path}.successCondition") : null;
            var failure = StageSettings.Text(m, "failureCondition") is { } f ? Condition.Parse(f, $"{path}.failureCondition") : null;
            if (success is null && failure is null)
            {
                throw new StageInputException($"{path} needs a successCondition or a failureCondition (e.g. result < 0.01).");
            }
            var count = Whole(m, "count", 1, path, 1, TaskCallbacks.MaxCallbacksPerTask);
            var interval = Duration(m, "interval", path) ?? (count > 1 ? throw new StageInputException($"{path}.interval is required when count > 1.") : TimeSpan.FromSeconds(60));
            if (interval < TimeSpan.FromSeconds(1))
            {
                throw new StageInputException($"{path}.interval must be at least 1 s.");
            }
            metrics.Add(new AnalysisMetric(name, interval, Duration(m, "initialDelay", path) ?? TimeSpan.Zero, count, success, failure,
                Whole(m, "failureLimit", 0, path, 0, 1_000), Whole(m, "inconclusiveLimit", 0, path, 0, 1_000), Whole(m, "consecutiveErrorLimit", 4, path, 0, 1_000),
                ReadQuery(m, path), StageSettings.Text(m, "scope") ?? "", StageSettings.Text(m, "location")));
        }
        return metrics;
    }

    /// <summary>When measurement <paramref name="index"/> (0-based) is due, from the analysis start.</summary>
    public TimeSpan Due(int index) => InitialDelay + Interval * index;

    private static JsonObject ReadQuery(JsonObject m, string path)
    {
        if (m["query"] is JsonObject query)
        {
            return (JsonObject)query.DeepClone();
        }
        if (m["provider"]?["prometheus"]?["query"] is JsonValue argo && ContextValues.String(argo) is { Length: > 0 } promQl)
        {
            return new JsonObject { ["type"] = "prometheus", ["customInlineTemplate"] = promQl };
        }
        throw new StageInputException($"{path}.query {{type, ...}} or provider.prometheus.query is required.");
    }

    private static int Whole(JsonObject m, string key, int fallback, string path, int min, int max)
    {
        var value = StageSettings.Int(m, key, fallback);
        return value >= min && value <= max ? value : throw new StageInputException($"{path}.{key} must be {min}..{max}.");
    }

    /// <summary>Argo's durations (<c>30s</c>, <c>5m</c>, <c>1h</c>, <c>250ms</c>), ISO-8601 (<c>PT30S</c>) or a number of seconds.</summary>
    private static TimeSpan? Duration(JsonObject m, string key, string path)
    {
        if (m[key] is null)
        {
            return null;
        }
        var text = ContextValues.String(m[key])?.Trim() ?? "";
        var invalid = new StageInputException($"{path}.{key} '{text}' is not a duration (30s, 5m, 1h, PT30S or seconds).");
        TimeSpan value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
        }
        else if (text.StartsWith('P'))
        {
            try
            {
                value = XmlConvert.ToTimeSpan(text);
            }
            catch (FormatException)
            {
                throw invalid;
            }
        }
        else
        {
            var unit = text.EndsWith("ms", StringComparison.Ordinal) ? "ms" : text.Length > 0 ? text[^1..] : "";
            if (!double.TryParse(text[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
            {
                throw invalid;
            }
            value = unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => throw invalid,
            };
        }
        return value >= TimeSpan.Zero && value <= TimeSpan.FromDays(1) ? value : throw new StageInputException($"{path}.{key} must be 0..24 h.");
    }
}
