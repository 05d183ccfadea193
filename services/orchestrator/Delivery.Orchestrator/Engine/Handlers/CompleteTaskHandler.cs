using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine.Handlers;

public sealed class CompleteTaskHandler : IEngineHandler<CompleteTask>
{
    public ValueTask HandleAsync(CompleteTask message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.FindStage(message.StageId) is not { Status: ExecutionStatus.Running } stage)
        {
            return ValueTask.CompletedTask;
        }
        var index = stage.Tasks.FindIndex(t => t.Id == message.TaskId);
        if (index < 0 || stage.Tasks[index].Status != ExecutionStatus.Running)
        {
            return ValueTask.CompletedTask;
        }
        var task = stage.Tasks[index];
        task.Status = message.Status;
        task.EndTime = frame.Now;
        frame.MarkChanged();
        frame.CancelTimer(StageGraph.TimerKey(execution.Id, stage.Id, task.Id));
        ExecutionEvents.TaskCompleted(frame, stage, task);
        if (message.Status == ExecutionStatus.Succeeded && index + 1 < stage.Tasks.Count)
        {
            frame.Continue(new StartTask(execution.Id, stage.Id, stage.Tasks[index + 1].Id));
        }
        else
        {
            frame.Continue(new CompleteStage(execution.Id, stage.Id));
        }
        return ValueTask.CompletedTask;
    }
}
