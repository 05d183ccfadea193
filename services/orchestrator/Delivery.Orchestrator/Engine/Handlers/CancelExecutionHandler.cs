using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine.Handlers;

public sealed class CancelExecutionHandler(StageTransitions transitions) : IEngineHandler<CancelExecution>
{
    public ValueTask HandleAsync(CancelExecution message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (!execution.Status.IsComplete())
        {
            execution.Canceled = true;
            execution.CanceledBy = message.User ?? "anonymous";
            execution.CancellationReason = message.Reason;
            transitions.CompleteExecution(frame, ExecutionStatus.Canceled);
        }
        frame.RespondWithExecution = true;
        return ValueTask.CompletedTask;
    }
}
