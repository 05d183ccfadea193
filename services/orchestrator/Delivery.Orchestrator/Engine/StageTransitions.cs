using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Stages;
using Delivery.Orchestrator.Tasks;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Engine.Views;
using Delivery.Orchestrator.Telemetry;

namespace Delivery.Orchestrator.Engine;

/// <summary>What happens around a stage that reaches a final status: the event, and what starts next.</summary>
public sealed class StageTransitions(StageDefinitionRegistry stages, TimeProvider time, EngineMetrics metrics)
{
    /// <summary>
    /// Top-level stages one message may start inline before it hands the next one to the bus. A chain
    /// then costs one bus hop, load and save per this many stages rather than per stage, and a long
    /// chain of instant stages is still cut into bounded messages.
    /// </summary>
    public const int MaxInlineStages = 16;

    /// <summary>
    /// A message that has run this long (its tasks did real work) hands the next stage to the bus
    /// instead: every stage started inline is stamped with the time the message began.
    /// </summary>
    public const long MaxInlineMs = 50;

    /// <summary>Settles a stage and moves the pipeline on: downstream stages on success, the parent or the execution on failure.</summary>
    public void Finish(ExecutionFrame frame, StageExecution stage, ExecutionStatus status)
    {
        var execution = frame.Execution;
        stage.Status = status;
        stage.EndTime = frame.Now;
        frame.MarkChanged();
        RecordDuration(frame, stage);
        Completed(frame, stage);
        if (status.AllowsDownstream())
        {
            StartNext(frame, stage);
            return;
        }
        Cancel(frame, stage);
        frame.Continue(stage.ParentStageId is { } parentId
            ? new CompleteStage(execution.Id, parentId)
            : new CompleteExecution(execution.Id));
    }

    /// <summary>Fails a stage that could not start (bad expression, unknown type), recording why.</summary>
    public void FailBeforeStart(ExecutionFrame frame, StageExecution stage, params IReadOnlyList<string> errors)
    {
        RecordErrors(stage, errors);
        Finish(frame, stage, stage.FailureStatus());
    }

    public static void RecordErrors(StageExecution stage, IReadOnlyList<string> errors)
    {
        stage.Context["exception"] = TaskErrors.Exception(errors);
    }

    public void Completed(ExecutionFrame frame, StageExecution stage) => ExecutionEvents.StageCompleted(frame, stage);

    /// <summary>Starts the stages that wait on this one; at the end of a graph, continues the parent or completes the execution.</summary>
    public void StartNext(ExecutionFrame frame, StageExecution stage)
    {
        var execution = frame.Execution;
        var downstream = execution.Downstream(stage).ToList();
        if (stage.ParentStageId is not null && downstream.Count == 1)
        {
            frame.Continue(new StartStage(execution.Id, downstream[0].Id));
        }
        else if (downstream.Count > 0)
        {
            Start(frame, downstream);
        }
        else if (stage.SyntheticStageOwner is { } phase && stage.ParentStageId is { } parentId)
        {
            frame.Continue(new ContinueParentStage(execution.Id, parentId, phase));
        }
        else
        {
            frame.Continue(new CompleteExecution(execution.Id));
        }
    }

    /// <summary>
    /// Starts stages that are ready: a single one whose upstream stages are all complete within this
    /// message (within <see cref="MaxInlineStages"/> and <see cref="MaxInlineMs"/>), otherwise one
    /// <c>StartStage</c> message each, so that parallel branches run in parallel.
    /// </summary>
    public void Start(ExecutionFrame frame, IReadOnlyList<StageExecution> ready)
    {
        var execution = frame.Execution;
        if (ready is [var only] && execution.AllUpstreamComplete(only)
            && time.NowMs() - frame.Now < MaxInlineMs && frame.TryCountInlineStage(MaxInlineStages))
        {
            frame.Continue(new StartStage(execution.Id, only.Id));
            return;
        }
        foreach (var next in ready)
        {
            frame.Publish(new StartStage(execution.Id, next.Id));
        }
    }

    /// <summary>
    /// Marks a stage's running work CANCELED (its running tasks and synthetic stages too) and sends
    /// what each canceled stage's type asks for (a child pipeline's cancel, say). <paramref name="settledByCaller"/>:
    /// the caller gives the stage its final status (and event) right after, so it is not announced as CANCELED.
    /// </summary>
    public void Cancel(ExecutionFrame frame, StageExecution stage, bool settledByCaller = false)
    {
        var execution = frame.Execution;
        foreach (var child in execution.Children(stage).Where(c => IsActive(c.Status)).ToList())
        {
            Cancel(frame, child);
        }
        foreach (var task in stage.Tasks.Where(t => IsActive(t.Status)))
        {
            task.Status = ExecutionStatus.Canceled;
            task.EndTime = frame.Now;
            frame.CancelTimer(StageGraph.TimerKey(execution.Id, stage.Id, task.Id));
            ExecutionEvents.TaskCompleted(frame, stage, task);
        }
        if (IsActive(stage.Status))
        {
            stage.Status = ExecutionStatus.Canceled;
            stage.EndTime = frame.Now;
            RecordDuration(frame, stage);
            foreach (var message in stages.Find(stage.Type)?.OnCancel(execution.View(), stage.View()) ?? [])
            {
                frame.Publish(message);
            }
            if (!settledByCaller)
            {
                Completed(frame, stage);
            }
        }
        frame.MarkChanged();
    }

    /// <summary>Ends an execution: stops what still runs, announces it, and lets a queued execution of the same pipeline start.</summary>
    public void CompleteExecution(ExecutionFrame frame, ExecutionStatus status)
    {
        var execution = frame.Execution;
        execution.Status = status;
        execution.EndTime = frame.Now;
        if (status != ExecutionStatus.Succeeded)
        {
            foreach (var stage in execution.TopLevelStages.Where(s => IsActive(s.Status)).ToList())
            {
                Cancel(frame, stage);
            }
        }
        frame.MarkChanged();
        frame.AfterSave(() => metrics.ExecutionCompleted(status));
        ExecutionEvents.ExecutionCompleted(frame);
        if (execution.LimitConcurrent && execution.PipelineConfigId is { } configId)
        {
            frame.Publish(new StartWaitingExecutions(configId, PurgeQueue: !execution.KeepWaitingPipelines));
        }
    }

    private void RecordDuration(ExecutionFrame frame, StageExecution stage)
    {
        var (type, status, start, end) = (stage.Type, stage.Status, stage.StartTime, frame.Now);
        frame.AfterSave(() => metrics.StageFinished(type, status, start, end));
    }

    private static bool IsActive(ExecutionStatus status) =>
        status is ExecutionStatus.Running or ExecutionStatus.Paused or ExecutionStatus.Suspended;
}
