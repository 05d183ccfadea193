using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Stages;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>Runs a completed stage and everything downstream of it again, reopening the execution if it had ended.</summary>
public sealed class RestartStageHandler(StageDefinitionRegistry stages) : IEngineHandler<RestartStage>
{
    public ValueTask HandleAsync(RestartStage message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.FindStage(message.StageId) is not { } stage)
        {
            frame.Response = EngineResponses.StageNotFound(execution, message.StageId);
            return ValueTask.CompletedTask;
        }
        if (stage.ParentStageId is not null || !stage.Status.IsComplete())
        {
            frame.Response = EngineResponses.Conflict($"Stage '{stage.Name}' is {stage.Status.ToWire()}: only a completed top-level stage can be restarted.");
            return ValueTask.CompletedTask;
        }
        if (execution.Status == ExecutionStatus.Paused)
        {
            frame.Response = EngineResponses.Conflict($"Execution '{execution.Id}' is PAUSED: resume it before restarting a stage.");
            return ValueTask.CompletedTask;
        }
        var previousException = stage.Context["exception"]?.DeepClone();
        foreach (var s in execution.AllDownstream(stage).Prepend(stage).ToList())
        {
            Reset(execution, s);
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
        return ValueTask.CompletedTask;
    }

    private void Reset(PipelineExecution execution, StageExecution stage)
    {
        RemoveSynthetic(execution, stage);
        stage.Status = ExecutionStatus.NotStarted;
        stage.StartTime = null;
        stage.EndTime = null;
        stage.Tasks = [];
        stage.Outputs = [];
        stage.AfterStagesPlanned = false;
        stage.OnFailureStagesPlanned = false;
        stage.Context.Remove("exception");
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
