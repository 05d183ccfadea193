using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Engine.Handlers;

public sealed class PauseExecutionHandler : IEngineHandler<PauseExecution>
{
    public ValueTask HandleAsync(PauseExecution message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.Status != ExecutionStatus.Running)
        {
            frame.Response = EngineResponses.Conflict($"Execution '{execution.Id}' is {execution.Status.ToWire()}, only a RUNNING execution can be paused.");
            return ValueTask.CompletedTask;
        }
        execution.Status = ExecutionStatus.Paused;
        var pausedMs = execution.Paused?.PausedMs ?? 0;
        execution.Paused = new PausedDetails { PausedBy = message.User ?? "anonymous", PauseTime = frame.Now, PausedMs = pausedMs };
        foreach (var stage in execution.Stages.Where(s => s.Status == ExecutionStatus.Running))
        {
            stage.Status = ExecutionStatus.Paused;
            foreach (var task in stage.Tasks.Where(t => t.Status == ExecutionStatus.Running))
            {
                task.Status = ExecutionStatus.Paused;
            }
        }
        frame.MarkChanged();
        ExecutionEvents.ExecutionPaused(frame, execution.Paused.PausedBy);
        frame.RespondWithExecution = true;
        return ValueTask.CompletedTask;
    }
}
