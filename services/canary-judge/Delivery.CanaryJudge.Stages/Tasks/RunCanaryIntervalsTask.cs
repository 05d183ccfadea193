using System.Globalization;
using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Stages.Support;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts;
using Delivery.Contracts.CanaryJudge;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.CanaryJudge.Stages.Tasks;

/// <summary>
/// Orca's <c>RunCanaryIntervalsStage</c> + <c>RunKayentaCanaryTask</c> as one timer-driven task: after
/// <c>beginCanaryAnalysisAfterMins</c>, at the end of each <c>canaryAnalysisIntervalMins</c> of the lifetime it asks
/// canary-judge (<see cref="JudgeCanaryInterval"/>) to judge the interval and sleeps until the answer
/// (<see cref="CanaryIntervalJudged"/>) or the next interval's end wakes it; nothing polls. An interval scoring below
/// <c>marginal</c> fails the stage at once; the last interval must reach <c>pass</c>. Each interval's score and report
/// link (<c>/v2/canaries/{id}</c>) are in the outputs as they come.
/// </summary>
internal sealed class RunCanaryIntervalsTask : IStageTask
{
    /// <summary>How long one judgement may take (its metric queries are bounded by canary-judge's own timeouts).</summary>
    public static readonly TimeSpan JudgeTimeout = TimeSpan.FromMinutes(5);

    public string Name => "runCanaryIntervalsTask";

    public ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        try
        {
            return ValueTask.FromResult(Run(context));
        }
        catch (StageInputException e)
        {
            return ValueTask.FromResult(TaskResult.Terminal(e.Message));
        }
    }

    private static TaskResult Run(TaskContext context)
    {
        var c = context.Stage.Context;
        var settings = CanaryAnalysisSettings.Read(c);
        var now = context.Now;
        if (ContextValues.Number(c[CanaryContext.AnalysisStart]) is not { } recordedStart)
        {
            var start = now + (long)settings.Warmup.TotalMilliseconds;
            var first = new JsonObject { [CanaryContext.AnalysisStart] = start, [CanaryContext.Intervals] = new JsonArray(), [CanaryContext.Scores] = new JsonArray() };
            return Next(context, settings, start, 0, first, outputs: null);
        }
        var analysisStart = (long)recordedStart;
        if (c[CanaryContext.Pending] is not JsonObject pending)
        {
            return Next(context, settings, analysisStart, (c[CanaryContext.Intervals] as JsonArray)?.Count ?? 0, [], outputs: null);
        }

        var id = pending["judgementId"]!.GetValue<string>();
        var index = (int)ContextValues.Number(pending["index"])!.Value;
        var of = $"{index + 1} of {settings.IntervalCount}";
        var reply = context.Callback<CanaryIntervalJudged>(id);
        if (reply is null)
        {
            var due = (long)ContextValues.Number(pending["sentAt"])!.Value + (long)JudgeTimeout.TotalMilliseconds;
            return now >= due
                ? TaskResult.Terminal($"canary-judge did not judge canary interval {of} within {JudgeTimeout.TotalMinutes} min.", new JsonObject { [CanaryContext.Pending] = null, [OperationWaiting] = null })
                : TaskResult.Running(TimeSpan.FromMilliseconds(due - now));
        }
        if (!reply.Succeeded)
        {
            return TaskResult.Terminal($"Canary interval {of} could not be judged: {reply.Error}", new JsonObject { [CanaryContext.Pending] = null, [OperationWaiting] = null });
        }

        var score = reply.Score ?? 0;
        var intervals = (JsonArray)(c[CanaryContext.Intervals]?.DeepClone() ?? new JsonArray());
        intervals.Add(new JsonObject
        {
            ["index"] = index,
            ["start"] = pending["start"]?.DeepClone(),
            ["end"] = pending["end"]?.DeepClone(),
            ["score"] = score,
            ["classification"] = reply.Classification,
            ["classificationReason"] = reply.ClassificationReason,
            ["reportId"] = id,
            ["reportUrl"] = $"/v2/canaries/{Uri.EscapeDataString(id)}",
            ["metrics"] = reply.MetricClassifications is { } metrics ? new JsonObject(metrics.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))) : null,
            ["warnings"] = reply.Warnings is { Count: > 0 } warnings ? new JsonArray([.. warnings.Select(w => (JsonNode)w)]) : null,
        });
        var scores = new JsonArray([.. intervals.Select(i => i!["score"]!.DeepClone())]);
        var last = index + 1 == settings.IntervalCount;
        var message = score < settings.Marginal
            ? $"Canary interval {of} scored {Text(score)} ({reply.Classification}), below the marginal threshold {Text(settings.Marginal)}{Failing(reply)}."
            : last && score < settings.Pass
                ? $"The canary's final score {Text(score)} ({reply.Classification}) is below the pass threshold {Text(settings.Pass)}{Failing(reply)}."
                : $"Canary interval {of} scored {Text(score)} ({reply.Classification}).";
        var outputs = new JsonObject
        {
            [CanaryContext.Scores] = scores,
            [CanaryContext.Intervals] = intervals,
            ["canaryScoreMessage"] = message,
            ["lastUpdated"] = now,
            ["lastUpdatedIso"] = DateTimeOffset.FromUnixTimeMilliseconds(now).ToString("O", CultureInfo.InvariantCulture),
        };
        var state = (JsonObject)outputs.DeepClone();
        state[CanaryContext.Pending] = null;
        state[OperationWaiting] = null;
        if (score < settings.Marginal || (last && score < settings.Pass))
        {
            return new TaskResult(ExecutionStatus.Terminal, state, outputs, Error: $"{message} Report: {intervals[^1]!["reportUrl"]}");
        }
        return last ? TaskResult.Succeeded(state, outputs) : Next(context, settings, analysisStart, index + 1, state, outputs);
    }

    /// <summary>Sleeps until interval <paramref name="index"/> ends, or, when it has, asks for its judgement.</summary>
    private static TaskResult Next(TaskContext context, CanaryAnalysisSettings settings, long analysisStart, int index, JsonObject state, JsonObject? outputs)
    {
        var end = analysisStart + (long)(settings.Interval.TotalMilliseconds * (index + 1));
        if (context.Now < end)
        {
            state[OperationWaiting] = $"canary interval {index + 1} of {settings.IntervalCount} to end at {DateTimeOffset.FromUnixTimeMilliseconds(end).ToString("O", CultureInfo.InvariantCulture)}";
            return new TaskResult(ExecutionStatus.Running, state, outputs, RunAgainAfter: TimeSpan.FromMilliseconds(end - context.Now));
        }
        var c = context.Stage.Context;
        var start = settings.Lookback > TimeSpan.Zero ? end - (long)settings.Lookback.TotalMilliseconds : analysisStart;
        var account = CanaryDeployments.Read(c)?.Account;
        var scopes = settings.ResolveScopes(StageSettings.Text(c, CanaryContext.BaselineServerGroup), StageSettings.Text(c, CanaryContext.CanaryServerGroup), account);
        var id = $"{context.Execution.Id}:{context.Stage.Id}:{context.Task.StartTime ?? 0}:{index}";
        var command = new JudgeCanaryInterval(id, settings.CanaryConfigId, settings.InlineConfig?.ToJsonString(), scopes,
            DateTimeOffset.FromUnixTimeMilliseconds(start), DateTimeOffset.FromUnixTimeMilliseconds(end), settings.StepSeconds,
            settings.Marginal, settings.Pass, context.Execution.Id, context.Stage.Id, context.Task.Id);
        state[CanaryContext.Pending] = new JsonObject { ["index"] = index, ["judgementId"] = id, ["sentAt"] = context.Now, ["start"] = start, ["end"] = end };
        state[OperationWaiting] = $"canary-judge to judge interval {index + 1} of {settings.IntervalCount}";
        return new TaskResult(ExecutionStatus.Running, state, outputs, RunAgainAfter: JudgeTimeout) { Messages = [command] };
    }

    private const string OperationWaiting = Clouddriver.Stages.Tasks.OperationTask.WaitingFor;

    private static string Failing(CanaryIntervalJudged reply)
    {
        var failing = reply.MetricClassifications?.Where(m => m.Value is not ("Pass" or "Nodata")).Select(m => $"{m.Key} {m.Value}").ToList();
        return failing is { Count: > 0 } ? $" ({string.Join(", ", failing)})" : "";
    }

    private static string Text(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
