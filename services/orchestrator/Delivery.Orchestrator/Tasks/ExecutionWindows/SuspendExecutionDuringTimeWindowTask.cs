using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Delivery.Orchestrator.Tasks.ExecutionWindows;

/// <summary>
/// Waits until the stage's <c>restrictedExecutionWindow</c> is open (the task is scheduled for the opening
/// time, not polled), or until a user sets <c>skipRemainingWait</c>. While it waits, <c>scheduledTime</c>
/// (epoch ms) and <c>waitingFor</c> say when and why. When the window opens and <c>jitter</c> is enabled it
/// picks the jitter delay (<c>waitTime</c>, seconds between <c>minDelay</c> and <c>maxDelay</c>) for the next task,
/// none for a manual trigger with <c>skipManual</c>.
/// </summary>
public sealed class SuspendExecutionDuringTimeWindowTask(TimeProvider time, IOptions<ExecutionWindowOptions> options) : IStageTask
{
    public string Name => "suspendExecutionDuringTimeWindowTask";

    /// <summary>Orca's limit: a window opens within a week, so waiting longer means something is wrong.</summary>
    public TimeSpan? Timeout => TimeSpan.FromDays(8);

    public ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var stage = context.Stage;
        if (stage.Flag("skipRemainingWait"))
        {
            return ValueTask.FromResult(TaskResult.Succeeded());
        }
        var window = ExecutionWindow.Parse(stage.Context["restrictedExecutionWindow"], out var problem);
        if (window is null)
        {
            return ValueTask.FromResult(TaskResult.Terminal(problem!));
        }
        var zone = string.IsNullOrWhiteSpace(options.Value.TimeZone) ? time.LocalTimeZone : TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(context.Now);
        DateTimeOffset opens;
        try
        {
            opens = window.NextAllowed(now, zone);
        }
        catch (InvalidOperationException e)
        {
            return ValueTask.FromResult(TaskResult.Terminal($"Exception occurred while calculating time window: {e.Message}"));
        }
        if (opens <= now)
        {
            return ValueTask.FromResult(TaskResult.Succeeded(Jitter(context)));
        }
        var local = TimeZoneInfo.ConvertTime(opens, zone);
        return ValueTask.FromResult(TaskResult.Running(opens - now, new JsonObject
        {
            ["scheduledTime"] = opens.ToUnixTimeMilliseconds(),
            ["waitingFor"] = $"the execution window, which opens at {local:yyyy-MM-dd HH:mm} ({zone.Id})",
        }));
    }

    private static JsonObject? Jitter(TaskContext context)
    {
        var stage = context.Stage;
        if (stage.Context["restrictedExecutionWindow"]?["jitter"] is not JsonObject jitter || !ContextValues.Flag(jitter["enabled"])
            || stage.Context["waitTime"] is not null)
        {
            return null;
        }
        var manual = ContextValues.String(context.Execution.Trigger["type"]) == "manual";
        var min = (long)Math.Max(0, ContextValues.Number(jitter["minDelay"]) ?? 0);
        var max = (long)Math.Max(min, ContextValues.Number(jitter["maxDelay"]) ?? 0);
        var wait = ContextValues.Flag(jitter["skipManual"]) && manual ? 0 : Random.Shared.NextInt64(min, max + 1);
        // A double: the wait task (run next, in the same engine pass) reads waitTime with GetValue<double>.
        return new JsonObject { ["waitTime"] = (double)wait };
    }
}
