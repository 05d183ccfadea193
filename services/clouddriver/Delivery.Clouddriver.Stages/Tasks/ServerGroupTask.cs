using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Tasks;

/// <summary>A task acting on one server group named by <c>serverGroupName</c> or a dynamic <c>target</c> (see <see cref="TargetServerGroups"/>).</summary>
internal abstract class ServerGroupTask(ClusterInventory inventory) : OperationTask
{
    /// <summary>What the command does, for <c>waitingFor</c> (e.g. "enableServerGroup").</summary>
    protected abstract string Verb { get; }

    protected abstract IClouddriverOperation Command(TaskContext context, Correlation id, string account, string serverGroupName);

    protected override async ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var account = StageSettings.Account(context.Stage.Context);
        var (name, _) = await TargetServerGroups.ResolveAsync(inventory, context.Stage.Context, account, cancellationToken);
        return new OperationPlan([new PlannedOperation($"{Verb} {name} (account {account})", id => Command(context, id, account, name))],
            new System.Text.Json.Nodes.JsonObject { ["serverGroupName"] = name });
    }
}

/// <summary>Orca's <c>EnableServerGroupTask</c>: clouddriver answers once the balancers route to it.</summary>
internal sealed class EnableServerGroupTask(ClusterInventory inventory) : ServerGroupTask(inventory)
{
    public override string Name => "enableServerGroupTask";

    protected override string Verb => "enableServerGroup";

    protected override IClouddriverOperation Command(TaskContext context, Correlation id, string account, string serverGroupName) =>
        new EnableServerGroup(id.OperationId, account, serverGroupName, id.ExecutionId, id.StageId, id.TaskId);
}

/// <summary>Orca's <c>DisableServerGroupTask</c>: clouddriver answers once no new request is routed to it.</summary>
internal sealed class DisableServerGroupTask(ClusterInventory inventory) : ServerGroupTask(inventory)
{
    public override string Name => "disableServerGroupTask";

    protected override string Verb => "disableServerGroup";

    protected override IClouddriverOperation Command(TaskContext context, Correlation id, string account, string serverGroupName) =>
        new DisableServerGroup(id.OperationId, account, serverGroupName, id.ExecutionId, id.StageId, id.TaskId);
}

/// <summary>Orca's <c>DestroyServerGroupTask</c>: clouddriver answers once its processes are gone.</summary>
internal sealed class DestroyServerGroupTask(ClusterInventory inventory) : ServerGroupTask(inventory)
{
    public override string Name => "destroyServerGroupTask";

    protected override string Verb => "destroyServerGroup";

    protected override IClouddriverOperation Command(TaskContext context, Correlation id, string account, string serverGroupName) =>
        new DestroyServerGroup(id.OperationId, account, serverGroupName, id.ExecutionId, id.StageId, id.TaskId);
}

/// <summary>Orca's <c>ResizeServerGroupTask</c> (action <c>scale_exact</c>, <c>capacity {min, max, desired}</c>): answered once exactly desired instances are Up.</summary>
internal sealed class ResizeServerGroupTask(ClusterInventory inventory) : ServerGroupTask(inventory)
{
    public override string Name => "resizeServerGroupTask";

    protected override string Verb => "resizeServerGroup";

    protected override IClouddriverOperation Command(TaskContext context, Correlation id, string account, string serverGroupName) =>
        new ResizeServerGroup(id.OperationId, account, serverGroupName, StageSettings.Capacity(context.Stage.Context), id.ExecutionId, id.StageId, id.TaskId);
}
