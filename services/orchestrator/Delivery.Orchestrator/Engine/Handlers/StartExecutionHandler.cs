using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Telemetry;

namespace Delivery.Orchestrator.Engine.Handlers;

public sealed class StartExecutionHandler(IExecutionStore store, ILockStore locks, StageTransitions transitions, EngineMetrics metrics) : IEngineHandler<StartExecution>
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
            frame.HoldUntilSaved(await locks.AcquireAsync($"start:{configId}", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), cancellationToken));
            var recent = await store.ListByPipelineConfigAsync(configId, 100);
            if (recent.Any(e => e.Id != execution.Id && e.Status is ExecutionStatus.Running or ExecutionStatus.Paused))
            {
                // Stays NOT_STARTED: StartWaitingExecutions starts it when the running one completes.
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
