using System.Text.Json.Nodes;
using Delivery.Orchestrator.Stages;

namespace Delivery.Orchestrator.Tasks;

/// <summary>Waits <c>waitTime</c> seconds from the task's start, or until a user sets <c>skipRemainingWait</c>.</summary>
public sealed class WaitTask : IStageTask
{
    public string Name => "waitTask";

    public ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var stage = context.Stage;
        if (stage.Flag("skipRemainingWait"))
        {
            return ValueTask.FromResult(TaskResult.Succeeded());
        }
        var waitTime = stage.Context["waitTime"];
        var seconds = ContextValues.Number(waitTime) ?? (waitTime is null ? 0 : -1);
        if (seconds < 0 || !double.IsFinite(seconds) || seconds > Orchestrator.Pipelines.StageFieldChecks.MaxWaitSeconds)
        {
            return ValueTask.FromResult(TaskResult.Terminal(
                $"waitTime must be a number of seconds from 0 to {Orchestrator.Pipelines.StageFieldChecks.MaxWaitSeconds:0}, not '{Truncated(waitTime)}'."));
        }
        var dueMs = (context.Task.RunningSince ?? context.Now) + (long)(seconds * 1000);
        var remaining = dueMs - context.Now;
        return ValueTask.FromResult(remaining <= 0
            ? TaskResult.Succeeded()
            : TaskResult.Running(TimeSpan.FromMilliseconds(remaining)));
    }

    private static string Truncated(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length <= 60 ? text : text[..60] + "...";
    }
}
