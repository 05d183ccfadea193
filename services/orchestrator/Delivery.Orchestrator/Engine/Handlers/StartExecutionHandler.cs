using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Telemetry;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>Starts an execution, or, for a <c>limitConcurrent</c> pipeline whose slot another holds, queues it (<see cref="ConcurrencySlots"/>).</summary>
public sealed class StartExecutionHandler(ConcurrencySlots slots, StageTransitions transitions, EngineMetrics metrics) : IEngineHandler<StartExecution>
{
    public async ValueTask HandleAsync(StartExecution message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.Status != ExecutionStatus.NotStarted || execution.Canceled)
        {
            return;
        }
        if (execution.LimitConcurrent && execution.PipelineConfigId is { } configId)
        {
            // Held until this start is saved, so that two executions starting at once cannot both see none running.
            frame.HoldUntilSaved(await slots.LockAsync(configId, cancellationToken));
            if (!await slots.TryTakeAsync(execution, configId))
            {
                // Stays NOT_STARTED, queued: StartWaitingExecutions starts it when its turn comes.
                return;
            }
        }
        execution.Status = ExecutionStatus.Running;
        execution.StartTime = frame.Now;
        frame.MarkChanged();
        frame.AfterSave(metrics.ExecutionStarted);
        ExecutionEvents.ExecutionStarted(frame);
        var initial = execution.TopLevelStages.Where(s => s.RequisiteStageRefIds.Count == 0).ToList();
        if (initial.Count == 0)
        {
            frame.Continue(new CompleteExecution(execution.Id));
            return;
        }
        transitions.Start(frame, initial);
    }
}
