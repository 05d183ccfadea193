using System.Globalization;
using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Stages.Support;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts;
using Delivery.Contracts.CanaryJudge;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.CanaryJudge.Stages.Tasks;

/// <summary>
/// Runs an <c>analysis</c> stage as Argo Rollouts runs an <c>AnalysisRun</c>: each metric is measured <c>count</c> times,
/// first after <c>initialDelay</c>, then every <c>interval</c>; the metrics due at one moment are measured by one
/// <see cref="MeasureMetrics"/> to canary-judge, and the task sleeps on timers in between. A measurement is Failed when
/// <c>failureCondition</c> holds or <c>successCondition</c> does not (Inconclusive when both are given and neither
/// holds, or when the source has no value), Error when the source could not be read. The stage fails as soon as a
/// metric has more failures than <c>failureLimit</c>, more inconclusive results than <c>inconclusiveLimit</c> or more
/// consecutive errors than <c>consecutiveErrorLimit</c>, and succeeds when every measurement is in.
/// Outputs <c>metricResults</c>: <c>[{name, phase, successful, failed, inconclusive, error, measurements: [{at, value, phase, message}]}]</c>.
/// </summary>
internal sealed class RunAnalysisTask : IStageTask
{
    /// <summary>How long one measurement may take.</summary>
    public static readonly TimeSpan MeasureTimeout = TimeSpan.FromMinutes(2);

    private const string Start = "analysis.start";
    private const string Pending = "analysis.pending";
    private const string Results = "metricResults";
    private const string WaitingFor = Clouddriver.Stages.Tasks.OperationTask.WaitingFor;

    public string Name => "runAnalysisTask";

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

    /// <summary>The keys the task records, forgotten when the stage restarts.</summary>
    public static readonly string[] Keys = [Start, Pending, Results];

    private static TaskResult Run(TaskContext context)
    {
        var c = context.Stage.Context;
        var metrics = AnalysisMetric.ReadAll(c);
        var rounds = metrics.SelectMany(m => Enumerable.Range(0, m.Count).Select(m.Due)).Distinct().Count();
        if (rounds > TaskCallbacks.MaxCallbacksPerTask)
        {
            throw new StageInputException($"The metrics are due at {rounds} different moments; at most {TaskCallbacks.MaxCallbacksPerTask} are measured per stage (align their intervals or lower count).");
        }
        var now = context.Now;
        if (ContextValues.Number(c[Start]) is not { } recorded)
        {
            var results = new JsonArray([.. metrics.Select(m => (JsonNode)new JsonObject { ["name"] = m.Name, ["phase"] = "Running", ["measurements"] = new JsonArray() })]);
            return Next(context, metrics, now, new JsonObject { [Start] = now, [Results] = results }, results);
        }
        var start = (long)recorded;
        var current = (JsonArray)(c[Results]?.DeepClone() ?? new JsonArray());
        if (c[Pending] is not JsonObject pending)
        {
            return Next(context, metrics, start, [], current);
        }
        var reply = context.Callback<MetricsMeasured>(pending["id"]!.GetValue<string>());
        if (reply is null)
        {
            var due = (long)ContextValues.Number(pending["sentAt"])!.Value + (long)MeasureTimeout.TotalMilliseconds;
            return now >= due
                ? TaskResult.Terminal($"canary-judge did not measure the metrics within {MeasureTimeout.TotalMinutes} min.", new JsonObject { [Pending] = null, [WaitingFor] = null })
                : TaskResult.Running(TimeSpan.FromMilliseconds(due - now));
        }
        var at = (long)ContextValues.Number(pending["at"])!.Value;
        foreach (var measured in reply.Results)
        {
            if (metrics.FirstOrDefault(m => m.Name == measured.Name) is not { } metric || Entry(current, metric.Name) is not { } entry)
            {
                continue;
            }
            var (phase, message) = Evaluate(metric, measured);
            entry["measurements"]!.AsArray().Add(new JsonObject { ["at"] = at, ["value"] = measured.Value, ["phase"] = phase, ["message"] = message });
            if (Verdict(metric, entry) is { } failure)
            {
                var outputs = new JsonObject { [Results] = current };
                return new TaskResult(ExecutionStatus.Terminal, new JsonObject { [Pending] = null, [WaitingFor] = null, [Results] = current.DeepClone() }, outputs,
                    Error: $"Analysis metric '{metric.Name}' {failure}");
            }
        }
        return Next(context, metrics, start, new JsonObject { [Pending] = null }, current);
    }

    /// <summary>Succeeds when every measurement is in; otherwise measures what is due, or sleeps until the next is.</summary>
    private static TaskResult Next(TaskContext context, IReadOnlyList<AnalysisMetric> metrics, long start, JsonObject state, JsonArray results)
    {
        var now = context.Now;
        var open = metrics.Select(m => (Metric: m, Taken: Entry(results, m.Name)!["measurements"]!.AsArray().Count)).Where(x => x.Taken < x.Metric.Count).ToList();
        state[Results] = results.DeepClone();
        var outputs = new JsonObject { [Results] = results };
        if (open.Count == 0)
        {
            foreach (var entry in results)
            {
                entry!["phase"] = "Successful";
            }
            state[Results] = results.DeepClone();
            state[WaitingFor] = null;
            return TaskResult.Succeeded(state, outputs);
        }
        var due = open.Where(x => start + (long)x.Metric.Due(x.Taken).TotalMilliseconds <= now).Select(x => x.Metric).ToList();
        if (due.Count == 0)
        {
            var next = open.Min(x => start + (long)x.Metric.Due(x.Taken).TotalMilliseconds);
            state[WaitingFor] = $"the next measurement at {DateTimeOffset.FromUnixTimeMilliseconds(next).ToString("O", CultureInfo.InvariantCulture)}";
            return new TaskResult(ExecutionStatus.Running, state, outputs, RunAgainAfter: TimeSpan.FromMilliseconds(next - now));
        }
        var id = $"{context.Execution.Id}:{context.Stage.Id}:{context.Task.StartTime ?? 0}:{now}";
        var command = new MeasureMetrics(id,
            [.. due.Select(m => new MetricMeasurementQuery(m.Name, m.Query.ToJsonString(), m.Scope, m.Location, m.Interval.TotalSeconds))],
            DateTimeOffset.FromUnixTimeMilliseconds(now), context.Execution.Id, context.Stage.Id, context.Task.Id);
        state[Pending] = new JsonObject { ["id"] = id, ["at"] = now, ["sentAt"] = now };
        state[WaitingFor] = $"canary-judge to measure {string.Join(", ", due.Select(m => m.Name))}";
        return new TaskResult(ExecutionStatus.Running, state, outputs, RunAgainAfter: MeasureTimeout) { Messages = [command] };
    }

    private static (string Phase, string? Message) Evaluate(AnalysisMetric metric, MetricMeasurement measured)
    {
        if (measured.Error is { } error)
        {
            return ("Error", error);
        }
        if (measured.Value is not { } value)
        {
            return ("Inconclusive", "The metric source has no value.");
        }
        if (metric.FailureCondition?.IsMet(value) == true)
        {
            return ("Failed", $"{Text(value)} meets the failureCondition '{metric.FailureCondition.Text}'.");
        }
        return metric.SuccessCondition switch
        {
            null => ("Successful", null),
            { } success when success.IsMet(value) => ("Successful", null),
            { } success when metric.FailureCondition is not null => ("Inconclusive", $"{Text(value)} meets neither condition."),
            { } success => ("Failed", $"{Text(value)} does not meet the successCondition '{success.Text}'."),
        };
    }

    /// <summary>Why the metric fails the analysis now, or null; also keeps its counts in <paramref name="entry"/>.</summary>
    private static string? Verdict(AnalysisMetric metric, JsonNode entry)
    {
        var phases = entry["measurements"]!.AsArray().Select(m => m!["phase"]!.GetValue<string>()).ToList();
        int Count(string phase) => phases.Count(p => p == phase);
        var consecutiveErrors = phases.AsEnumerable().Reverse().TakeWhile(p => p == "Error").Count();
        entry["successful"] = Count("Successful");
        entry["failed"] = Count("Failed");
        entry["inconclusive"] = Count("Inconclusive");
        entry["error"] = Count("Error");
        var last = entry["measurements"]!.AsArray()[^1]!["message"]?.GetValue<string>();
        (string Phase, string Why)? verdict =
            Count("Failed") > metric.FailureLimit ? ("Failed", $"failed {Count("Failed")} times (failureLimit {metric.FailureLimit}): {last}")
            : Count("Inconclusive") > metric.InconclusiveLimit ? ("Inconclusive", $"was inconclusive {Count("Inconclusive")} times (inconclusiveLimit {metric.InconclusiveLimit}): {last}")
            : consecutiveErrors > metric.ConsecutiveErrorLimit ? ("Error", $"could not be measured {consecutiveErrors} times in a row (consecutiveErrorLimit {metric.ConsecutiveErrorLimit}): {last}")
            : null;
        if (verdict is { } v)
        {
            entry["phase"] = v.Phase;
            return v.Why;
        }
        return null;
    }

    private static JsonNode? Entry(JsonArray results, string name) => results.FirstOrDefault(r => r?["name"]?.GetValue<string>() == name);

    private static string Text(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
