using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Tasks;

/// <summary>
/// One unit of work of a stage. Tasks run at least once: a task whose worker dies may run again,
/// so a task's effects must be safe to repeat.
/// </summary>
public interface IStageTask
{
    /// <summary>The name recorded as the task's <c>implementingClass</c>.</summary>
    string Name { get; }

    /// <summary>How long the task may keep answering RUNNING before it fails; null for no limit.</summary>
    TimeSpan? Timeout => null;

    ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken);
}

public sealed record TaskContext(PipelineExecution Execution, StageExecution Stage, TaskExecution Task, long Now);
