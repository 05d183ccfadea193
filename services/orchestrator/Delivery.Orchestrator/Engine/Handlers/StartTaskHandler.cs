using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine.Handlers;

public sealed class StartTaskHandler : IEngineHandler<StartTask>
{
    public ValueTask HandleAsync(StartTask message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.Status != ExecutionStatus.Running
            || execution.FindStage(message.StageId) is not { Status: ExecutionStatus.Running } stage
            || stage.Tasks.Find(t => t.Id == message.TaskId) is not { Status: ExecutionStatus.NotStarted } task)
        {
            return ValueTask.CompletedTask;
        }
        task.Status = ExecutionStatus.Running;
        task.StartTime = frame.Now;
        frame.MarkChanged();
        ExecutionEvents.TaskStarted(frame, stage, task);
        frame.Continue(new RunTask(execution.Id, stage.Id, task.Id));
        return ValueTask.CompletedTask;
    }
}
