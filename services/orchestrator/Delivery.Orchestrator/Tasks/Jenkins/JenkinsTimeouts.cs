namespace Delivery.Orchestrator.Tasks.Jenkins;

/// <summary>Orca's overridable limit on waiting for a Jenkins build: 2 hours, unless the stage sets <c>stageTimeoutMs</c>.</summary>
public static class JenkinsTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromHours(2);

    /// <summary>The limit when the task has waited longer than it (and the stage sets no timeout of its own), else null.</summary>
    public static TimeSpan? Expired(TaskContext context) =>
        context.Stage.Context["stageTimeoutMs"] is null && context.Now - (context.Task.RunningSince ?? context.Now) > Default.TotalMilliseconds
            ? Default
            : null;
}
