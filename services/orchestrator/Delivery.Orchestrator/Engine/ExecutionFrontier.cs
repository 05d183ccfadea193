using Delivery.Contracts;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// The messages a RUNNING execution's state says must be on their way: a poll for each running task, the start of each
/// stage or task whose turn it is, the settling of each stage whose work is all done, and the execution's completion
/// when no stage is active. Every one of them is ignored by its handler when the state has moved past it, so sending
/// them again is safe: that is how the <see cref="ZombieSweeper"/> re-drives an execution whose messages were lost.
/// </summary>
public static class ExecutionFrontier
{
    public static List<object> Of(PipelineExecution execution)
    {
        var id = execution.Id;
        var due = new List<object>();
        foreach (var stage in execution.Stages)
        {
            if (stage.Status == ExecutionStatus.Running)
            {
                if (stage.Tasks.Find(t => t.Status == ExecutionStatus.Running) is { } task)
                {
                    due.Add(new RunTask(id, stage.Id, task.Id));
                }
                else if (!execution.Children(stage).Any(c => IsActive(c.Status) || c.Status == ExecutionStatus.NotStarted))
                {
                    due.Add(NextOfIdleStage(execution, stage));
                }
            }
            else if (stage.Status == ExecutionStatus.NotStarted && CanStart(execution, stage))
            {
                due.Add(new StartStage(id, stage.Id));
            }
        }
        if (!execution.Stages.Any(s => IsActive(s.Status)) && !due.Any(m => m is StartStage))
        {
            due.Add(new CompleteExecution(id));
        }
        return due;
    }

    /// <summary>A running stage with no task running and no synthetic stage left to run: its next task, or its settling.</summary>
    private static object NextOfIdleStage(PipelineExecution execution, StageExecution stage)
    {
        var next = stage.Tasks.FindIndex(t => t.Status == ExecutionStatus.NotStarted);
        var beforeDone = execution.Children(stage, StageExecution.Before).All(c => c.Status.AllowsDownstream());
        if (next >= 0 && beforeDone && stage.Tasks.Take(next).All(t => t.Status is ExecutionStatus.Succeeded or ExecutionStatus.Skipped))
        {
            return new StartTask(execution.Id, stage.Id, stage.Tasks[next].Id);
        }
        return new CompleteStage(execution.Id, stage.Id);
    }

    /// <summary>A stage whose turn it is: its upstream stages let it run, and for a synthetic one, its parent is at its phase.</summary>
    private static bool CanStart(PipelineExecution execution, StageExecution stage)
    {
        if (!execution.AllUpstreamComplete(stage))
        {
            return false;
        }
        if (stage.ParentStageId is not { } parentId)
        {
            return true;
        }
        if (execution.FindStage(parentId) is not { Status: ExecutionStatus.Running } parent)
        {
            return false;
        }
        return stage.SyntheticStageOwner == StageExecution.Before
            ? parent.Tasks.All(t => t.Status == ExecutionStatus.NotStarted)
            : parent.Tasks.All(t => t.Status.IsComplete());
    }

    private static bool IsActive(ExecutionStatus status) =>
        status is ExecutionStatus.Running or ExecutionStatus.Paused or ExecutionStatus.Suspended;
}
