using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Tasks;

/// <summary>
/// First half of <c>rollbackFailedDeploy</c>: puts the cluster's newest group older than the failed deploy's
/// (<c>serverGroupName</c>) back in service: resized back to the new group's capacity when a strategy scaled it
/// down, enabled when a strategy disabled it. Records it as <c>restoreServerGroupName</c>; when the cluster has
/// no older group, records nothing and sends nothing, and the new group is left serving (see the next task).
/// </summary>
internal sealed class RestorePreviousServerGroupTask(ClusterInventory inventory) : OperationTask
{
    public override string Name => "restorePreviousServerGroupTask";

    protected override async ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var c = context.Stage.Context;
        var account = StageSettings.Account(c);
        var created = StageSettings.Text(c, "serverGroupName") ?? throw new StageInputException("serverGroupName (the failed deploy's server group) is required.");
        var cluster = StageSettings.Cluster(c);
        var groups = await inventory.ServerGroupsAsync(account, StageSettings.Application(c, cluster), cluster, cancellationToken);
        var current = groups.FirstOrDefault(g => g.Name == created);
        var older = groups.TakeWhile(g => g.Name != created).ToList();
        if (current is null || older.Count == 0)
        {
            return new OperationPlan([], new JsonObject { ["restoreServerGroupName"] = null });
        }
        var restore = older[^1];
        var operations = new List<PlannedOperation>();
        if (restore.Capacity.Desired < current.Capacity.Desired)
        {
            operations.Add(new($"resizeServerGroup {restore.Name} to {current.Capacity.Desired} instances Up",
                id => new ResizeServerGroup(id.OperationId, account, restore.Name, current.Capacity, id.ExecutionId, id.StageId, id.TaskId)));
        }
        if (restore.Disabled)
        {
            operations.Add(new($"enableServerGroup {restore.Name}",
                id => new EnableServerGroup(id.OperationId, account, restore.Name, id.ExecutionId, id.StageId, id.TaskId)));
        }
        return new OperationPlan(operations, new JsonObject { ["restoreServerGroupName"] = restore.Name });
    }
}

/// <summary>
/// Second half of <c>rollbackFailedDeploy</c>: destroys the failed deploy's server group once an older group
/// serves again. Without an older group it destroys nothing: the new group may be all that serves now (a
/// highlander strategy that destroyed the old ones before failing), and taking it down would be an outage.
/// </summary>
internal sealed class DestroyFailedServerGroupTask : OperationTask
{
    public override string Name => "destroyFailedServerGroupTask";

    protected override ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var c = context.Stage.Context;
        if (StageSettings.Text(c, "restoreServerGroupName") is null)
        {
            return ValueTask.FromResult(new OperationPlan([], new JsonObject { ["kept"] = "no older server group serves in its place" }));
        }
        var account = StageSettings.Account(c);
        var created = StageSettings.Text(c, "serverGroupName")!;
        return ValueTask.FromResult(new OperationPlan([new PlannedOperation($"destroyServerGroup {created}",
            id => new DestroyServerGroup(id.OperationId, account, created, id.ExecutionId, id.StageId, id.TaskId))]));
    }
}
