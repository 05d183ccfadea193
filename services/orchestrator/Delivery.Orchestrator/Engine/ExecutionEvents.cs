using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Tasks;
using Delivery.Orchestrator.Tasks.Pipelines;

namespace Delivery.Orchestrator.Engine;

/// <summary>
/// The public events of an execution's state changes, stamped by <see cref="ExecutionFrame.NextEvent"/>
/// and published through the frame's outbox, so they leave only once the change is saved. Each is a
/// small record built from the stage or task at hand; the execution document itself never travels.
/// </summary>
public static class ExecutionEvents
{
    /// <summary>The task that waits for a manual judgment: its start is when the judgment is requested.</summary>
    private const string JudgmentTask = "waitForJudgmentTask";

    public static void ExecutionStarted(ExecutionFrame frame)
    {
        var (e, s) = (frame.Execution, frame.NextEvent());
        frame.Publish(new ExecutionStarted(s.EventId, e.Id, e.Application, e.PipelineConfigId, s.Version, s.Sequence, s.Time, e.Name, e.Status));
    }

    public static void ExecutionPaused(ExecutionFrame frame, string user)
    {
        var (e, s) = (frame.Execution, frame.NextEvent());
        frame.Publish(new ExecutionPaused(s.EventId, e.Id, e.Application, e.PipelineConfigId, s.Version, s.Sequence, s.Time, e.Status, user));
    }

    public static void ExecutionResumed(ExecutionFrame frame, string user)
    {
        var (e, s) = (frame.Execution, frame.NextEvent());
        frame.Publish(new ExecutionResumed(s.EventId, e.Id, e.Application, e.PipelineConfigId, s.Version, s.Sequence, s.Time, e.Status, user));
    }

    public static void ExecutionCompleted(ExecutionFrame frame)
    {
        var (e, s) = (frame.Execution, frame.NextEvent());
        var parent = ChildPipelines.Parent(e.Trigger);
        frame.Publish(new ExecutionCompleted(s.EventId, e.Id, e.Application, e.PipelineConfigId, s.Version, s.Sequence, s.Time, e.Name, e.Status,
            parent?.ExecutionId, parent?.StageId));
    }

    public static void StageStarted(ExecutionFrame frame, StageExecution stage)
    {
        var (e, s) = (frame.Execution, frame.NextEvent());
        frame.Publish(new StageStarted(s.EventId, e.Id, e.Application, e.PipelineConfigId, s.Version, s.Sequence, s.Time,
            stage.Id, stage.RefId, stage.ParentStageId, stage.Type, stage.Name, stage.Status));
    }

    public static void StageCompleted(ExecutionFrame frame, StageExecution stage)
    {
        var (e, s) = (frame.Execution, frame.NextEvent());
        frame.Publish(new StageCompleted(s.EventId, e.Id, e.Application, e.PipelineConfigId, s.Version, s.Sequence, s.Time,
            stage.Id, stage.RefId, stage.ParentStageId, stage.Type, stage.Name, stage.Status, stage.EndTime ?? frame.Now));
    }

    /// <summary>Announces a started task and, for a manual judgment's task, that the stage now waits for a person.</summary>
    public static void TaskStarted(ExecutionFrame frame, StageExecution stage, TaskExecution task)
    {
        var (e, s) = (frame.Execution, frame.NextEvent());
        frame.Publish(new TaskStarted(s.EventId, e.Id, e.Application, e.PipelineConfigId, s.Version, s.Sequence, s.Time,
            stage.Id, task.Id, task.Name, task.Status));
        if (task.ImplementingClass == JudgmentTask)
        {
            s = frame.NextEvent();
            var inputs = stage.Context["judgmentInputs"] is JsonArray array
                ? array.Select(a => ContextValues.String(a is JsonObject o ? o["value"] : a)).OfType<string>().ToList()
                : [];
            frame.Publish(new JudgmentRequested(s.EventId, e.Id, e.Application, e.PipelineConfigId, s.Version, s.Sequence, s.Time,
                stage.Id, stage.Name, stage.Status, ContextValues.String(stage.Context["instructions"]), inputs));
        }
    }

    public static void TaskCompleted(ExecutionFrame frame, StageExecution stage, TaskExecution task)
    {
        var (e, s) = (frame.Execution, frame.NextEvent());
        frame.Publish(new TaskCompleted(s.EventId, e.Id, e.Application, e.PipelineConfigId, s.Version, s.Sequence, s.Time,
            stage.Id, task.Id, task.Name, task.Status));
    }

    /// <summary>Announces a judgment given to a stage (its <c>judgmentStatus</c>), if the update carried one.</summary>
    public static void StageUpdated(ExecutionFrame frame, StageExecution stage, JsonObject patch, string user)
    {
        if (ContextValues.String(patch["judgmentStatus"])?.ToLowerInvariant() is not { } judgment)
        {
            return;
        }
        var (e, s) = (frame.Execution, frame.NextEvent());
        frame.Publish(new StageJudged(s.EventId, e.Id, e.Application, e.PipelineConfigId, s.Version, s.Sequence, s.Time,
            stage.Id, stage.Name, stage.Status, judgment, ContextValues.String(patch["judgmentInput"]), user));
    }
}
