using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Stages;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>Skips a running stage whose type allows it (a wait, a judgment): SKIPPED, and its downstream stages start.</summary>
public sealed class SkipStageHandler(StageDefinitionRegistry stages, StageTransitions transitions) : IEngineHandler<SkipStage>
{
    public ValueTask HandleAsync(SkipStage message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.FindStage(message.StageId) is not { } stage)
        {
            frame.Response = EngineResponses.StageNotFound(execution, message.StageId);
            return ValueTask.CompletedTask;
        }
        if (stage.Status != ExecutionStatus.Running || execution.Status != ExecutionStatus.Running)
        {
            frame.Response = EngineResponses.Conflict($"Stage '{stage.Name}' is {stage.Status.ToWire()}: only a running stage can be skipped.");
            return ValueTask.CompletedTask;
        }
        if (stages.Find(stage.Type) is not { CanManuallySkip: true })
        {
            frame.Response = EngineResponses.Conflict($"Stages of type '{stage.Type}' cannot be skipped.");
            return ValueTask.CompletedTask;
        }
        transitions.Cancel(frame, stage, settledByCaller: true);
        stage.Context["skippedBy"] = message.User ?? "anonymous";
        transitions.Finish(frame, stage, ExecutionStatus.Skipped);
        frame.RespondWithExecution = true;
        return ValueTask.CompletedTask;
    }
}
