using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine.Handlers;

public sealed class ContinueParentStageHandler : IEngineHandler<ContinueParentStage>
{
    public ValueTask HandleAsync(ContinueParentStage message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.FindStage(message.StageId) is not { Status: ExecutionStatus.Running } parent)
        {
            return ValueTask.CompletedTask;
        }
        var phase = execution.Children(parent, message.Phase).ToList();
        if (!phase.All(s => s.Status.IsComplete()))
        {
            return ValueTask.CompletedTask;
        }
        if (message.Phase == StageExecution.Before && phase.All(s => s.Status.AllowsDownstream())
            && parent.Tasks.FirstOrDefault() is { Status: ExecutionStatus.NotStarted } first)
        {
            frame.Continue(new StartTask(execution.Id, parent.Id, first.Id));
        }
        else
        {
            frame.Continue(new CompleteStage(execution.Id, parent.Id));
        }
        return ValueTask.CompletedTask;
    }
}
