using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Delivery.CanaryJudge.Configs;
using Delivery.CanaryJudge.Judge;
using Delivery.CanaryJudge.Metrics;
using Delivery.CanaryJudge.Reports;
using Delivery.Contracts.CanaryJudge;
using Delivery.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Delivery.CanaryJudge.Analysis;

/// <summary>
/// Judges one interval of a canary (Kayenta's <c>CanaryJudgeController</c> run by Orca's <c>RunKayentaCanaryTask</c>):
/// fetches every metric of the config for the control and experiment scopes from its source, judges them with
/// <see cref="NetflixAcaJudge"/> and stores the report under the judgement id. A metric source that fails fails the
/// interval when the metric has <c>mustHaveData</c>; otherwise the metric is judged on no data (Nodata) and the
/// failure is kept as a warning in the answer and the report.
/// </summary>
public sealed partial class CanaryIntervalRunner(
    ICanaryConfigStore configs,
    ICanaryReportStore reports,
    IEnumerable<IMetricSource> sources,
    NetflixAcaJudge judge,
    IOptions<CanaryJudgeOptions> options,
    TimeProvider clock)
{
    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,200}$")]
    private static partial Regex IdPattern();

    private readonly Dictionary<string, IMetricSource> _sources = sources.ToDictionary(s => s.Type, StringComparer.Ordinal);

    /// <summary>The answer to <paramref name="command"/>; never throws for bad input or a failing source (the answer says why).</summary>
    public async Task<CanaryIntervalJudged> JudgeAsync(JudgeCanaryInterval command, CancellationToken cancellationToken)
    {
        CanaryIntervalJudged Failed(string error) =>
            new(command.JudgementId, command.ExecutionId, command.StageId, command.TaskId, false, error);

        if (!IdPattern().IsMatch(command.JudgementId))
        {
            return Failed("The judgement id must be 1..200 letters, digits, '-', '_', ':' or '.'.");
        }
        if (await reports.GetAsync(command.JudgementId) is { } stored)
        {
            return Answer(command, JsonSerializer.Deserialize<CanaryReport>(stored, JsonDefaults.Options)!);
        }
        if (Problem(command) is { } problem)
        {
            return Failed(problem);
        }
        var steps = (command.End - command.Start).TotalSeconds / command.StepSeconds + 1;
        if (steps > options.Value.MaxPointsPerSide)
        {
            return Failed($"The interval holds {steps:0} steps of {command.StepSeconds} s; at most {options.Value.MaxPointsPerSide} points are judged per side.");
        }
        var configJson = await ConfigJsonAsync(command);
        if (configJson.Json is null)
        {
            return Failed(configJson.Problem!);
        }
        var errors = new ValidationErrors();
        if (CanaryConfigReader.Read(configJson.Json, "canaryConfig.", requireName: false, errors) is not { } config)
        {
            return Failed($"The canary config is invalid: {errors.Describe()}");
        }

        var step = TimeSpan.FromSeconds(command.StepSeconds);
        var metricJson = configJson.Json["metrics"]!.AsArray();
        var sets = new List<MetricSet>(config.Metrics.Count);
        var warnings = new List<string>();
        for (var i = 0; i < config.Metrics.Count; i++)
        {
            var metric = config.Metrics[i];
            var query = metricJson[i]!["query"]!.AsObject();
            var scopeName = metricJson[i]!["scopeName"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            var scope = command.Scopes.FirstOrDefault(s => s.ScopeName == (scopeName ?? "default")) ?? (scopeName is null ? command.Scopes[0] : null);
            if (scope is null)
            {
                return Failed($"Metric '{metric.Name}' uses scope '{scopeName}', which the canary does not define.");
            }
            try
            {
                var source = _sources.GetValueOrDefault(metric.SourceType)
                    ?? throw new MetricSourceException($"No metric source of type '{metric.SourceType}' is configured.");
                var control = source.FetchAsync(new MetricQuery(query, scope.ControlScope, scope.ControlLocation, command.Start, command.End, step), cancellationToken);
                var experiment = source.FetchAsync(new MetricQuery(query, scope.ExperimentScope, scope.ExperimentLocation, command.Start, command.End, step), cancellationToken);
                sets.Add(new MetricSet(metric.Name, await control, await experiment));
            }
            catch (MetricSourceException e)
            {
                if (metric.Analysis.MustHaveData)
                {
                    return Failed($"Metric '{metric.Name}' (mustHaveData): {e.Message}");
                }
                warnings.Add($"Metric '{metric.Name}' judged without data: {e.Message}");
            }
        }

        var thresholds = new ScoreThresholds(command.MarginalThreshold, command.PassThreshold);
        var judgement = judge.Judge(config, sets, thresholds) with { Id = command.JudgementId };
        var report = new CanaryReport(command.JudgementId, clock.GetUtcNow(), command.CanaryConfigId, config.Name, thresholds, judgement,
            [.. sets.Select(s => new ReportedMetricSet(s.Name, ReportedMetricSet.Points(s.Control), ReportedMetricSet.Points(s.Experiment)))])
        {
            Scopes = command.Scopes,
            Start = command.Start,
            End = command.End,
            Warnings = warnings,
        };
        await reports.SaveAsync(command.JudgementId, CanaryReportJson.Serialize(report, options.Value.MaxReportBytes));
        return Answer(command, report);
    }

    private static CanaryIntervalJudged Answer(JudgeCanaryInterval command, CanaryReport report) => new(
        command.JudgementId, command.ExecutionId, command.StageId, command.TaskId, true, null,
        report.Result.Score, report.Result.Classification, report.Result.ClassificationReason,
        report.Result.Metrics.ToDictionary(m => m.Name, m => m.Classification, StringComparer.Ordinal),
        report.Warnings is { Count: > 0 } w ? w : null);

    private static string? Problem(JudgeCanaryInterval command) => command switch
        {
            { Scopes: null or { Count: 0 } } => "At least one scope (control and experiment) is required.",
            _ when command.Scopes.Any(s => string.IsNullOrEmpty(s.ControlScope) || string.IsNullOrEmpty(s.ExperimentScope)) => "Every scope needs a controlScope and an experimentScope.",
            { StepSeconds: <= 0 or double.NaN } => "The step must be a positive number of seconds.",
            _ when command.End < command.Start => "The interval ends before it starts.",
            _ when !(command.MarginalThreshold is >= 0 and <= 100 && command.PassThreshold is >= 0 and <= 100 && command.MarginalThreshold <= command.PassThreshold)
                => "scoreThresholds must be 0..100 with marginal not above pass.",
            _ => null,
        };

    private async Task<(JsonObject? Json, string? Problem)> ConfigJsonAsync(JudgeCanaryInterval command)
    {
        if (!string.IsNullOrEmpty(command.CanaryConfigId))
        {
            return await configs.GetAsync(command.CanaryConfigId) is { } stored
                ? (stored, null)
                : (null, $"No canary config has id '{command.CanaryConfigId}'.");
        }
        if (string.IsNullOrEmpty(command.CanaryConfigJson))
        {
            return (null, "A canaryConfigId or an inline canary config is required.");
        }
        try
        {
            return JsonNode.Parse(command.CanaryConfigJson) is JsonObject inline ? (inline, null) : (null, "The inline canary config must be a JSON object.");
        }
        catch (JsonException e)
        {
            return (null, $"The inline canary config is not valid JSON: {e.Message}");
        }
    }
}
