using System.Text.Json;
using System.Text.Json.Nodes;
using Quartz;

namespace Delivery.Orchestrator.Pipelines;

/// <summary>
/// Checks, when a pipeline is saved, the triggers that echo could only log about (a cron trigger it cannot schedule)
/// or that would start executions without bound (a cron schedule firing every second, a pipeline triggering itself).
/// Disabled triggers are checked too: enabling one later is a save that should not be the moment it turns out broken.
/// </summary>
internal static class TriggerChecks
{
    /// <summary>How many of a cron schedule's next fire times are compared for the smallest gap.</summary>
    public const int FireTimesChecked = 10;

    /// <param name="config">The pipeline config; its <c>triggers</c>, when present, an array of objects.</param>
    /// <param name="pipelineId">The id the config is saved under, when known (a new pipeline without one gets it at save).</param>
    /// <param name="minCronInterval">The smallest gap allowed between two fires of a cron schedule.</param>
    /// <param name="now">Where the next fire times are counted from.</param>
    /// <param name="errors">Where each problem goes, keyed <c>triggers[i].field</c>.</param>
    public static void Check(JsonObject config, string? pipelineId, TimeSpan minCronInterval, DateTimeOffset now, PipelineProblems errors)
    {
        switch (config["triggers"])
        {
            case null:
                return;
            case JsonArray triggers:
                for (var i = 0; i < triggers.Count; i++)
                {
                    var path = $"triggers[{i}]";
                    if (triggers[i] is not JsonObject trigger)
                    {
                        errors.Add(path, $"{path} must be an object such as {{\"type\":\"cron\",\"cronExpression\":\"0 0 * * * ?\"}}, not {StageFieldChecks.Truncate(triggers[i]?.ToJsonString() ?? "null")}.");
                        continue;
                    }
                    var label = $"{path} ({PipelineValidator.Scalar(trigger["type"]) ?? "no type"})";
                    switch (PipelineValidator.Scalar(trigger["type"]))
                    {
                        case "cron":
                            CheckCron(trigger, path, label, minCronInterval, now, errors);
                            break;
                        case "pipeline" when pipelineId is not null && PipelineValidator.Scalar(trigger["pipeline"]) == pipelineId:
                            errors.Add($"{path}.pipeline", $"'pipeline' is this pipeline's own id '{pipelineId}': the pipeline would trigger itself, again and again.", label);
                            break;
                    }
                }
                return;
            default:
                errors.Add("triggers", "'triggers' must be an array of triggers such as [{\"type\":\"cron\",\"cronExpression\":\"0 0 * * * ?\"}].");
                return;
        }
    }

    /// <summary>
    /// A cron trigger: a Quartz <c>cronExpression</c> (the parser echo schedules with), a known <c>timezone</c> when
    /// one is given, and no two of the next <see cref="FireTimesChecked"/> fire times closer than the floor.
    /// </summary>
    private static void CheckCron(JsonObject trigger, string path, string label, TimeSpan minInterval, DateTimeOffset now, PipelineProblems errors)
    {
        var zone = TimeZoneInfo.Utc;
        // Echo, like an absent one, reads an empty time zone as UTC.
        if (trigger["timezone"] is { } zoneNode && PipelineValidator.Scalar(zoneNode) is not ""
            && (zoneNode.GetValueKind() != JsonValueKind.String || !TimeZoneInfo.TryFindSystemTimeZoneById(zoneNode.GetValue<string>(), out zone)))
        {
            errors.Add($"{path}.timezone", $"'timezone' must be a known IANA or Windows time zone id such as \"Europe/Paris\", not {StageFieldChecks.Truncate(zoneNode.ToJsonString())}.", label);
            zone = TimeZoneInfo.Utc;
        }
        if (trigger["cronExpression"] is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
        {
            errors.Add($"{path}.cronExpression", trigger["cronExpression"] is null
                ? "'cronExpression' is required: a Quartz cron expression, seconds first, such as \"0 0/30 * * * ?\"."
                : $"'cronExpression' must be a string, not {StageFieldChecks.Truncate(trigger["cronExpression"]!.ToJsonString())}.", label);
            return;
        }
        var expressionText = text.GetValue<string>();
        var quoted = StageFieldChecks.Truncate(JsonSerializer.Serialize(expressionText));
        if (!CronExpression.TryParse(expressionText, out var expression) || expression is null)
        {
            errors.Add($"{path}.cronExpression", $"'cronExpression' {quoted} is not a Quartz cron expression (seconds first, such as \"0 0/30 * * * ?\").", label);
            return;
        }
        expression = expression.WithTimeZone(zone!);
        var previous = expression.GetNextValidTimeAfter(now);
        for (var i = 0; i < FireTimesChecked && previous is { } from; i++)
        {
            var next = expression.GetNextValidTimeAfter(from);
            if (next - from < minInterval)
            {
                errors.Add($"{path}.cronExpression",
                    $"'cronExpression' {quoted} fires {(next!.Value - from).TotalSeconds:0.###} s apart (at {from:u} and {next:u}); cron triggers may fire at most once every {minInterval.TotalSeconds:0} s.", label);
                return;
            }
            previous = next;
        }
    }
}
