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
/// pipeline, a build, a wait) is canceled first, so nothing is orphaned or started twice; each stage is reset to its
/// definition as written, so its expressions are evaluated afresh; and a <c>limitConcurrent</c> pipeline reopens only
/// when no other execution holds its slot.
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
        if (!stage.Status.IsComplete())
        {
            frame.Response = EngineResponses.Conflict($"Stage '{stage.Name}' is {stage.Status.ToWire()}: only a completed stage can be restarted.");
            return;
        }
        if (execution.Status == ExecutionStatus.Paused)
        {
            frame.Response = EngineResponses.Conflict($"Execution '{execution.Id}' is PAUSED: resume it before restarting a stage.");
            return;
        }
        if (execution.Status.IsComplete() && execution.LimitConcurrent && execution.PipelineConfigId is { } configId)
        {
            frame.HoldUntilSaved(await slots.LockAsync(configId, cancellationToken));
            if (await slots.HeldByOtherAsync(configId, execution.Id))
            {
                frame.Response = EngineResponses.Conflict(
                    $"Another execution of pipeline '{execution.Name}' is running, and it has limitConcurrent: restart this one once it ends.");
                return;
            }
            await slots.Pending.SetHolderAsync(configId, execution.Id);
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
        if (execution.Status.IsComplete())
        {
            execution.Status = ExecutionStatus.Running;
            execution.EndTime = null;
            execution.Canceled = false;
            execution.CanceledBy = null;
            execution.CancellationReason = null;
            ExecutionEvents.ExecutionStarted(frame);
        }
        frame.MarkChanged();
        frame.Publish(new StartStage(execution.Id, stage.Id));
        frame.RespondWithExecution = true;
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
