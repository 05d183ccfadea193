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
        var seconds = ContextValues.Number(stage.Context["waitTime"]) ?? 0;
        if (seconds < 0 || double.IsNaN(seconds))
        {
            return ValueTask.FromResult(TaskResult.Terminal($"waitTime must be a number of seconds >= 0, not '{stage.Context["waitTime"]}'."));
        }
        var dueMs = (context.Task.StartTime ?? context.Now) + (long)(seconds * 1000);
        var remaining = dueMs - context.Now;
        return ValueTask.FromResult(remaining <= 0
            ? TaskResult.Succeeded()
            : TaskResult.Running(TimeSpan.FromMilliseconds(remaining)));
    }
}
