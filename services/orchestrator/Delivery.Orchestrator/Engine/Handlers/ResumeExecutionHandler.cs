using System.Text.Json.Nodes;
using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>Resumes a paused execution: its tasks run again at once and the messages held while paused are sent.</summary>
public sealed class ResumeExecutionHandler : IEngineHandler<ResumeExecution>
{
    public ValueTask HandleAsync(ResumeExecution message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.Status != ExecutionStatus.Paused)
        {
            frame.Response = EngineResponses.Conflict($"Execution '{execution.Id}' is {execution.Status.ToWire()}, only a PAUSED execution can be resumed.");
            return ValueTask.CompletedTask;
        }
        execution.Status = ExecutionStatus.Running;
        ExecutionEvents.ExecutionResumed(frame, message.User ?? "anonymous");
        if (execution.Paused is { } paused)
        {
            paused.ResumedBy = message.User ?? "anonymous";
            paused.ResumeTime = frame.Now;
            paused.PausedMs += frame.Now - paused.PauseTime;
        }
        var pausedFor = execution.Paused is { } p ? Math.Max(0, frame.Now - p.PauseTime) : 0;
        foreach (var stage in execution.Stages.Where(s => s.Status == ExecutionStatus.Paused))
        {
            stage.Status = ExecutionStatus.Running;
            stage.PausedMs += pausedFor;
            foreach (var task in stage.Tasks.Where(t => t.Status == ExecutionStatus.Paused))
            {
                task.Status = ExecutionStatus.Running;
                task.PausedMs += pausedFor;
                frame.Publish(new RunTask(execution.Id, stage.Id, task.Id));
            }
        }
        foreach (var deferred in execution.DeferredMessages ?? [])
        {
            frame.Publish(MessageCodec.Decode(deferred!));
        }
        execution.DeferredMessages = null;
        frame.MarkChanged();
        frame.RespondWithExecution = true;
        return ValueTask.CompletedTask;
    }
}
