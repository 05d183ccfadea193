using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Tasks;

/// <summary>Orca's <c>TerminateInstancesTask</c>: <c>instanceIds</c>, <c>credentials</c>; their server group replaces them.</summary>
internal sealed class TerminateInstancesTask : OperationTask
{
    public override string Name => "terminateInstancesTask";

    protected override ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var c = context.Stage.Context;
        var account = StageSettings.Account(c);
        var ids = StageSettings.Strings(c, "instanceIds") is { Count: > 0 } list ? list : throw new StageInputException("instanceIds (a non-empty list) is required.");
        return ValueTask.FromResult(new OperationPlan([new PlannedOperation($"terminateInstances {string.Join(", ", ids)}: their processes to exit",
            id => new TerminateInstances(id.OperationId, account, ids, id.ExecutionId, id.StageId, id.TaskId))]));
    }
}
