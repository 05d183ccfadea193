using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Stages;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>
/// Runs a completed stage and everything downstream of it again, reopening the execution if it had ended, as Orca's
/// RestartStageHandler does: a synthetic stage restarts its top-level parent; downstream work still running (a child
/// pipeline, a build, a wait) is canceled first, so nothing is orphaned or started twice; and each stage is reset to its
/// definition as written, so its expressions are evaluated afresh.
/// <para>
/// <c>limitConcurrent</c>: restarting an ended execution while another execution of its pipeline holds the run slot
/// queues the restart, as Orca does (<c>shouldQueue()</c> → <c>PendingExecutionService.enqueue</c>). As in Orca, the
/// stages are reset and the execution goes back to NOT_STARTED at once (it does not keep its ended status while it
/// waits), so the API shows it queued as it shows a queued start: the answer is the execution (200, as Orca's), here
/// NOT_STARTED with its restarted stage reset and carrying <c>restartDetails</c>. It then waits in the pipeline's FIFO
/// (<see cref="ConcurrencySlots"/>), placed by the time of the restart request among the starts (placed by build time);
/// when its turn comes, <see cref="StartExecutionHandler"/> runs the stages whose upstream stages are complete, i.e. the
/// restarted one. With <c>keepWaitingPipelines: false</c> a newer waiting execution replaces it as it replaces waiting
/// starts (Orca's StartWaitingExecutionsHandler drops a purged restart too); where Orca then leaves the execution
/// NOT_STARTED for good, here it is canceled with the reason, so nothing waits forever.
/// </para>
/// <para>
/// As in Orca, a stage that has not started can be restarted too (one whose queued restart was canceled, say).
/// Refused with 409: a stage running, paused or suspended; an execution still NOT_STARTED (a queued start or restart:
/// Orca skips a second restart of a queued execution); a PAUSED execution (Orca would set it RUNNING beside its paused
/// stages: resume it first). A redelivered request (same message id) is not applied again (<see cref="ExecutionEngine"/>).
/// </para>
/// </summary>
public sealed class RestartStageHandler(StageDefinitionRegistry stages, StageTransitions transitions, ConcurrencySlots slots) : IEngineHandler<RestartStage>
{
    public async ValueTask HandleAsync(RestartStage message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.FindStage(message.StageId) is not { } stage)
        {
            frame.Response = EngineResponses.StageNotFound(execution, message.StageId);
            return;
        }
        while (stage.ParentStageId is { } parentId && execution.FindStage(parentId) is { } parent)
        {
            stage = parent;
        }
        if (execution.Status == ExecutionStatus.NotStarted)
        {
            frame.Response = EngineResponses.Conflict(
                $"Execution '{execution.Id}' is NOT_STARTED: it waits for the running execution of pipeline '{execution.Name}' (limitConcurrent) and runs when its turn comes.");
            return;
        }
        if (!stage.Status.IsComplete() && stage.Status != ExecutionStatus.NotStarted)
        {
            frame.Response = EngineResponses.Conflict($"Stage '{stage.Name}' is {stage.Status.ToWire()}: only a completed or not started stage can be restarted.");
            return;
        }
        if (execution.Status == ExecutionStatus.Paused)
        {
            frame.Response = EngineResponses.Conflict($"Execution '{execution.Id}' is PAUSED: resume it before restarting a stage.");
            return;
        }
        var queued = false;
        if (execution.Status.IsComplete() && execution.LimitConcurrent && execution.PipelineConfigId is { } configId)
        {
            // Held until this change is saved, so that the slot cannot be handed on before the queued restart is.
            frame.HoldUntilSaved(await slots.LockAsync(configId, cancellationToken));
            queued = !await slots.TryTakeAsync(frame, configId, frame.Now);
        }
        var previousException = stage.Context["exception"]?.DeepClone();
        var restarted = execution.AllDownstream(stage).Prepend(stage).ToList();
        foreach (var s in restarted.Where(s => s.Status is ExecutionStatus.Running or ExecutionStatus.Paused or ExecutionStatus.Suspended))
        {
            transitions.Cancel(frame, s);
        }
        foreach (var s in restarted)
        {
            Reset(frame, s);
        }
        stage.Context["restartDetails"] = new JsonObject
        {
            ["restartedBy"] = message.User ?? "anonymous",
            ["restartTime"] = frame.Now,
            ["previousException"] = previousException,
        };
        frame.MarkChanged();
        frame.RespondWithExecution = true;
        if (execution.Status.IsComplete())
        {
            execution.Status = queued ? ExecutionStatus.NotStarted : ExecutionStatus.Running;
            execution.EndTime = null;
            execution.Canceled = false;
            execution.CanceledBy = null;
            execution.CancellationReason = null;
            if (!queued)
            {
                ExecutionEvents.ExecutionStarted(frame);
            }
        }
        if (!queued)
        {
            frame.Publish(new StartStage(execution.Id, stage.Id));
        }
    }

    private void Reset(ExecutionFrame frame, StageExecution stage)
    {
        var execution = frame.Execution;
        RemoveSynthetic(execution, stage);
        foreach (var task in stage.Tasks)
        {
            frame.CancelTimer(StageGraph.TimerKey(execution.Id, stage.Id, task.Id));
        }
        stage.Status = ExecutionStatus.NotStarted;
        stage.StartTime = null;
        stage.EndTime = null;
        stage.PausedMs = 0;
        stage.Tasks = [];
        stage.Outputs = [];
        stage.AfterStagesPlanned = false;
        stage.OnFailureStagesPlanned = false;
        if (stage.Definition is { } definition)
        {
            stage.Context = (JsonObject)definition.DeepClone();
        }
        stage.Context.Remove("exception");
        stage.Context.Remove("expressionEvaluationSummary");
        stages.Find(stage.Type)?.PrepareForRestart(stage.Context);
    }

    private static void RemoveSynthetic(PipelineExecution execution, StageExecution parent)
    {
        foreach (var child in execution.Children(parent).ToList())
        {
            RemoveSynthetic(execution, child);
            execution.Stages.Remove(child);
        }
    }
}
