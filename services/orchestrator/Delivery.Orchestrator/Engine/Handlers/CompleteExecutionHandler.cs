using Delivery.Contracts;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Model;

namespace Delivery.Orchestrator.Engine.Handlers;

/// <summary>Settles an execution from its top-level stages, with Orca's rules for FAILED_CONTINUE, STOPPED and completeOtherBranchesThenFail.</summary>
public sealed class CompleteExecutionHandler : IEngineHandler<CompleteExecution>
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
        Complete(frame, status);
        return ValueTask.CompletedTask;
    }

    private static bool OtherBranchesIncomplete(PipelineExecution execution, List<StageExecution> stages) =>
        stages.Any(s => s.Status is ExecutionStatus.Running or ExecutionStatus.Paused or ExecutionStatus.Suspended)
        || stages.Any(s => s.Status == ExecutionStatus.NotStarted && execution.AllUpstreamComplete(s));

    /// <summary>Ends an execution: stops what still runs, announces it, and lets a queued execution of the same pipeline start.</summary>
    public static void Complete(ExecutionFrame frame, ExecutionStatus status)
    {
        var execution = frame.Execution;
        execution.Status = status;
        execution.EndTime = frame.Now;
        if (status != ExecutionStatus.Succeeded)
        {
            foreach (var stage in execution.TopLevelStages.Where(s => !s.Status.IsComplete() && s.Status != ExecutionStatus.NotStarted))
            {
                execution.CancelRunning(stage, frame.Now);
            }
        }
        frame.MarkChanged();
        frame.Publish(new ExecutionCompleted(execution.Id, execution.Application, execution.PipelineConfigId, execution.Name, status));
        if (execution.LimitConcurrent && execution.PipelineConfigId is { } configId)
        {
            frame.Publish(new StartWaitingExecutions(configId, PurgeQueue: !execution.KeepWaitingPipelines));
        }
    }
}
