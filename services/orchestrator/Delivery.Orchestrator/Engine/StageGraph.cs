using Delivery.Contracts;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Engine;

/// <summary>Navigation of the stage DAG and Orca's status rules.</summary>
public static class StageGraph
{
    /// <summary>Stages in the same graph: the top-level pipeline, or one phase of one parent's synthetic stages.</summary>
    public static IEnumerable<StageExecution> Siblings(this PipelineExecution e, StageExecution s) =>
        e.Stages.Where(x => x.ParentStageId == s.ParentStageId && x.SyntheticStageOwner == s.SyntheticStageOwner);

    public static IEnumerable<StageExecution> Upstream(this PipelineExecution e, StageExecution s) =>
        s.RequisiteStageRefIds.Count == 0 ? [] : e.Siblings(s).Where(x => s.RequisiteStageRefIds.Contains(x.RefId));

    public static IEnumerable<StageExecution> Downstream(this PipelineExecution e, StageExecution s) =>
        e.Siblings(s).Where(x => x.RequisiteStageRefIds.Contains(s.RefId));

    public static IEnumerable<StageExecution> Children(this PipelineExecution e, StageExecution parent, string? phase = null) =>
        e.Stages.Where(x => x.ParentStageId == parent.Id && (phase is null || x.SyntheticStageOwner == phase));

    public static bool AllUpstreamComplete(this PipelineExecution e, StageExecution s) =>
        e.Upstream(s).All(u => u.Status.AllowsDownstream());

    /// <summary>
    /// Whether a halted stage lies upstream, directly or through stages that have not started (which then never
    /// will): A (halts) -> B -> D with C -> D means D cannot start once A halts, whatever C does.
    /// </summary>
    public static bool AnyUpstreamHalted(this PipelineExecution e, StageExecution s)
    {
        var seen = new HashSet<string>();
        var queue = new Queue<StageExecution>([s]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var u in e.Upstream(current).Where(u => seen.Add(u.Id)))
            {
                if (u.Status.IsHalt())
                {
                    return true;
                }
                if (u.Status == ExecutionStatus.NotStarted)
                {
                    queue.Enqueue(u);
                }
            }
        }
        return false;
    }

    /// <summary>Every stage downstream of <paramref name="s"/>, transitively.</summary>
    public static IEnumerable<StageExecution> AllDownstream(this PipelineExecution e, StageExecution s)
    {
        var seen = new HashSet<string>();
        var queue = new Queue<StageExecution>([s]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var d in e.Downstream(current).Where(d => seen.Add(d.Id)))
            {
                queue.Enqueue(d);
                yield return d;
            }
        }
    }

    /// <summary>A stage's status from its tasks and synthetic stages, as Orca settles it.</summary>
    public static ExecutionStatus DetermineStatus(this PipelineExecution e, StageExecution s)
    {
        var statuses = e.Children(s).Select(c => c.Status).Concat(s.Tasks.Select(t => t.Status)).ToList();
        if (statuses.Count == 0)
        {
            return ExecutionStatus.NotStarted;
        }
        if (statuses.Contains(ExecutionStatus.Terminal)) return ExecutionStatus.Terminal;
        if (statuses.Contains(ExecutionStatus.Stopped)) return ExecutionStatus.Stopped;
        if (statuses.Contains(ExecutionStatus.Canceled)) return ExecutionStatus.Canceled;
        if (statuses.Contains(ExecutionStatus.FailedContinue)) return ExecutionStatus.FailedContinue;
        if (statuses.All(x => x is ExecutionStatus.Succeeded or ExecutionStatus.Skipped)) return ExecutionStatus.Succeeded;
        return ExecutionStatus.Running;
    }

    /// <summary>
    /// What a failure of this stage means: <c>continuePipeline</c> gives FAILED_CONTINUE,
    /// <c>failPipeline</c> (the default) TERMINAL, and <c>failPipeline: false</c> STOPPED (the branch halts).
    /// </summary>
    public static ExecutionStatus FailureStatus(this StageExecution s)
    {
        if (s.Flag("continuePipeline"))
        {
            return ExecutionStatus.FailedContinue;
        }
        var failPipeline = s.Context["failPipeline"];
        return failPipeline is null || s.Flag("failPipeline") ? ExecutionStatus.Terminal : ExecutionStatus.Stopped;
    }

    public static string TimerKey(string executionId, string stageId, string taskId) => $"{executionId}:{stageId}:{taskId}";
}
