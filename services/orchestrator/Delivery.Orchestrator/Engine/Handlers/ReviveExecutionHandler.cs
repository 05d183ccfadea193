using Delivery.Contracts;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Telemetry;
using Delivery.Orchestrator.Timers;
using Microsoft.Extensions.Logging;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>
/// Re-drives a RUNNING execution the zombie sweep found unsaved for a while. What its state calls for
/// (<see cref="ExecutionFrontier"/>) is sent again, except task polls whose timer is still scheduled (those are in flight).
/// When nothing is in flight and nothing can be sent, or when the last re-drive sent stage transitions and nothing has
/// changed since, the execution cannot be re-driven: it ends TERMINAL with the reason, as Orca's dead-message handler
/// ends what cannot go on. Orca's <c>ZombieExecutionCheckingAgent</c> only counts such executions (<c>queue.zombies</c>).
/// </summary>
public sealed class ReviveExecutionHandler(ITimerStore timers, StageTransitions transitions, EngineMetrics metrics, ILogger<ReviveExecutionHandler> logger)
    : IEngineHandler<ReviveExecution>
{
    public async ValueTask HandleAsync(ReviveExecution message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.Status != ExecutionStatus.Running)
        {
            return;
        }
        var due = new List<object>();
        var inFlight = false;
        foreach (var next in ExecutionFrontier.Of(execution))
        {
            if (next is RunTask poll && await timers.ExistsAsync(StageGraph.TimerKey(poll.ExecutionId, poll.StageId, poll.TaskId)))
            {
                inFlight = true;
                continue;
            }
            due.Add(next);
        }
        if (due.Count == 0 && inFlight)
        {
            return;
        }
        var transitionsDue = due.Any(m => m is not RunTask);
        if (due.Count == 0 || (transitionsDue && execution.RevivedAtVersion == execution.Version))
        {
            var reason = due.Count == 0
                ? "The execution was RUNNING with nothing in flight and nothing that could run next (zombie sweep)."
                : "The execution was RUNNING with nothing in flight, and re-sending what its state calls for did not move it (zombie sweep).";
            logger.LogError("Ending zombie execution {ExecutionId}: {Reason}", execution.Id, reason);
            execution.CancellationReason = reason;
            foreach (var stage in execution.Stages.Where(s => s.Status == ExecutionStatus.Running))
            {
                StageTransitions.RecordErrors(stage, [reason]);
            }
            transitions.CompleteExecution(frame, ExecutionStatus.Terminal);
        }
        else
        {
            logger.LogWarning("Re-driving zombie execution {ExecutionId} with {Messages}", execution.Id, string.Join(", ", due.Select(m => m.GetType().Name)));
            foreach (var next in due)
            {
                frame.Publish(next);
            }
            if (transitionsDue)
            {
                // The version this save gives it: unchanged at the next sweep, these transitions led nowhere.
                execution.RevivedAtVersion = execution.Version + 1;
            }
            frame.MarkChanged();
        }
        frame.AfterSave(() => metrics.ZombieSwept());
    }
}
