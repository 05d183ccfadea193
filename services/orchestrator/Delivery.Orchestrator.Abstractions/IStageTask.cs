namespace Delivery.Orchestrator.Abstractions;

/// <summary>
/// One unit of work of a stage (Orca's <c>Task</c>), registered with
/// <see cref="OrchestratorServiceCollectionExtensions.AddTask{TTask}"/> and named by a <see cref="TaskDefinition"/>.
/// Tasks run at least once: a task whose worker dies may run again, so a task's effects must be safe to repeat
/// (record what was started in the context and look for it first). One instance serves every execution.
/// </summary>
public interface IStageTask
{
    /// <summary>The name a <see cref="TaskDefinition.ImplementingClass"/> refers to; unique among registered tasks.</summary>
    string Name { get; }

    /// <summary>
    /// How long the task may keep answering RUNNING (from its start) before the engine fails it; null for no limit.
    /// The stage's <c>stageTimeoutMs</c>, when set and earlier, applies too. The engine wakes the task at the
    /// deadline, so a task waiting for a callback needs no poll to time out.
    /// </summary>
    TimeSpan? Timeout => null;

    /// <summary>
    /// Whether a run makes an external call that must not be made twice (a webhook, a Jenkins build). The engine then
    /// records a claim in the execution document before the run; a delivery that finds a claim it did not make does not
    /// run the task while that claim may still be at work, and, once it is older than a task run may last, fails the
    /// task (the call may have been made; its outcome was never recorded) rather than calling again.
    /// </summary>
    bool HasExternalEffect => false;

    /// <summary>Runs the task once. An exception other than cancellation fails the stage (TERMINAL) with its message.</summary>
    ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken);
}
