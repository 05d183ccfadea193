namespace Delivery.Orchestrator.Tasks.Webhooks;

/// <summary>Waits <c>waitBeforeMonitor</c> seconds after the webhook was accepted, before the first status poll.</summary>
public sealed class WaitBeforeMonitorWebhookTask : IStageTask
{
    public string Name => "waitBeforeMonitorWebhookTask";

    public ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var seconds = ContextValues.Number(context.Stage.Context["waitBeforeMonitor"]) ?? 0;
        var due = (context.Task.RunningSince ?? context.Now) + (long)(Math.Max(0, seconds) * 1000);
        return ValueTask.FromResult(context.Stage.Flag("skipRemainingWait") || due <= context.Now
            ? TaskResult.Succeeded()
            : TaskResult.Running(TimeSpan.FromMilliseconds(due - context.Now)));
    }
}
