using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Stages;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Engine.Views;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>
/// Settles a stage as Orca does: after its tasks succeed it plans its synthetic after stages
/// (onFailure stages when it failed) and waits for them before taking its final status.
/// </summary>
public sealed class CompleteStageHandler(StageDefinitionRegistry stages, StageTransitions transitions) : IEngineHandler<CompleteStage>
{
    public ValueTask HandleAsync(CompleteStage message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.FindStage(message.StageId) is not { Status: ExecutionStatus.Running or ExecutionStatus.NotStarted } stage)
        {
            return ValueTask.CompletedTask;
        }
        var status = execution.DetermineStatus(stage);
        if (status == ExecutionStatus.Running)
        {
            return ValueTask.CompletedTask;
        }
        var definition = stages.Find(stage.Type);
        if (status is ExecutionStatus.NotStarted || status.AllowsDownstream())
        {
            if (!stage.AfterStagesPlanned && definition is not null)
            {
                stage.AfterStagesPlanned = true;
                frame.MarkChanged();
                if (StartSynthetic(frame, stage, definition.AfterStages(stage.View())))
                {
                    return ValueTask.CompletedTask;
                }
            }
            if (status == ExecutionStatus.NotStarted)
            {
                status = ExecutionStatus.Skipped;
            }
        }
        else if (!stage.OnFailureStagesPlanned && definition is not null)
        {
            stage.OnFailureStagesPlanned = true;
            frame.MarkChanged();
            if (StartSynthetic(frame, stage, definition.OnFailureStages(stage.View())))
            {
                return ValueTask.CompletedTask;
            }
        }
        transitions.Finish(frame, stage, status);
        return ValueTask.CompletedTask;
    }

    private static bool StartSynthetic(ExecutionFrame frame, StageExecution stage, IReadOnlyList<SyntheticStage> planned)
    {
        if (planned.Count == 0)
        {
            return false;
        }
        var added = StartStageHandler.AddSynthetic(frame.Execution, stage, planned, StageExecution.After);
        frame.Continue(new StartStage(frame.Execution.Id, added[0].Id));
        return true;
    }
}
