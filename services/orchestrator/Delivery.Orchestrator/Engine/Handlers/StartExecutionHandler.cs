using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Telemetry;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>
/// Starts an execution, or, for a <c>limitConcurrent</c> pipeline whose slot another holds, queues it (<see cref="ConcurrencySlots"/>).
/// It starts the top-level stages whose upstream stages are all complete: for a new execution, those with no
/// requisite stages; for an ended execution whose restart was queued (<see cref="RestartStageHandler"/>), the restarted
/// stage, which then keeps the execution's first start time, as a restart that was not queued does.
/// </summary>
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
            if (!await slots.TryTakeAsync(frame, configId, execution.BuildTime))
            {
                // Stays NOT_STARTED, queued: StartWaitingExecutions starts it when its turn comes.
                return;
            }
        }
        execution.Status = ExecutionStatus.Running;
        if (execution.StartTime is null)
        {
            execution.StartTime = frame.Now;
            frame.AfterSave(metrics.ExecutionStarted);
        }
        frame.MarkChanged();
        ExecutionEvents.ExecutionStarted(frame);
        var initial = execution.TopLevelStages.Where(s => s.Status == ExecutionStatus.NotStarted && execution.AllUpstreamComplete(s)).ToList();
        if (initial.Count == 0)
        {
            frame.Continue(new CompleteExecution(execution.Id));
            return;
        }
        transitions.Start(frame, initial);
    }
}
