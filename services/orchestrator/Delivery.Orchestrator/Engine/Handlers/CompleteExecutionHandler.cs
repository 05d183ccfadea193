using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>Settles an execution from its top-level stages, with Orca's rules for FAILED_CONTINUE, STOPPED and completeOtherBranchesThenFail.</summary>
public sealed class CompleteExecutionHandler(StageTransitions transitions) : IEngineHandler<CompleteExecution>
{
    public ValueTask HandleAsync(CompleteExecution message, ExecutionFrame frame, CancellationToken cancellationToken)
    {
        var execution = frame.Execution;
        if (execution.Status.IsComplete() || execution.Status == ExecutionStatus.NotStarted)
        {
            return ValueTask.CompletedTask;
        }
        var stages = execution.TopLevelStages.ToList();
        ExecutionStatus status;
        if (stages.All(s => s.Status.AllowsDownstream()))
        {
            status = ExecutionStatus.Succeeded;
        }
        else if (stages.Any(s => s.Status == ExecutionStatus.Terminal))
        {
            status = ExecutionStatus.Terminal;
        }
        else if (stages.Any(s => s.Status == ExecutionStatus.Canceled))
        {
            status = ExecutionStatus.Canceled;
        }
        else if (stages.Any(s => s.Status == ExecutionStatus.Stopped) && !OtherBranchesIncomplete(execution, stages))
        {
            status = execution.Stages.Any(s => s.Status == ExecutionStatus.Stopped && s.Flag("completeOtherBranchesThenFail"))
                ? ExecutionStatus.Terminal
                : ExecutionStatus.Succeeded;
        }
        else
        {
            // Branches still running will send CompleteExecution again when they end.
            return ValueTask.CompletedTask;
        }
        transitions.CompleteExecution(frame, status);
        return ValueTask.CompletedTask;
    }

    private static bool OtherBranchesIncomplete(PipelineExecution execution, List<StageExecution> stages) =>
        stages.Any(s => s.Status is ExecutionStatus.Running or ExecutionStatus.Paused or ExecutionStatus.Suspended)
        || stages.Any(s => s.Status == ExecutionStatus.NotStarted && execution.AllUpstreamComplete(s));
}
