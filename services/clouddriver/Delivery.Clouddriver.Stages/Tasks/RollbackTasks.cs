using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Tasks;

/// <summary>
/// First half of <c>rollbackServerGroup</c> (Orca's explicit rollback): resolves
/// <c>rollbackContext.rollbackServerGroupName</c> (default: <c>serverGroupName</c> or the cluster's current group) and
/// <c>rollbackContext.restoreServerGroupName</c> (default: the newest group older than it), resizes the restore group back
/// to the rolled-back group's capacity when it was scaled down, and enables it. Traffic is on both when it ends.
/// </summary>
internal sealed class EnableRestoreServerGroupTask(ClusterInventory inventory) : OperationTask
{
    public override string Name => "enableRestoreServerGroupTask";

    protected override async ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var c = context.Stage.Context;
        var account = StageSettings.Account(c);
        var given = c["rollbackContext"] as JsonObject ?? [];
        var rollback = StageSettings.Text(given, "rollbackServerGroupName");
        var restore = StageSettings.Text(given, "restoreServerGroupName");
        IReadOnlyList<ClusterServerGroup>? groups = null;
        if (rollback is null)
        {
            (rollback, groups) = await TargetServerGroups.ResolveAsync(inventory, c, account, cancellationToken);
        }
        if (groups is null)
        {
            var cluster = StageSettings.ClusterOf(rollback);
            groups = await inventory.ServerGroupsAsync(account, StageSettings.Application(c, cluster), cluster, cancellationToken);
        }
        var current = groups.FirstOrDefault(g => g.Name == rollback) ?? throw new StageInputException($"Server group '{rollback}' does not exist in account '{account}'.");
        var older = groups.TakeWhile(g => g.Name != rollback).ToList();
        restore ??= older.Count > 0 ? older[^1].Name : throw new StageInputException($"Server group '{rollback}' has no older server group in its cluster to roll back to.");
        if (restore == rollback)
        {
            // It would enable the group and then disable it, leaving the cluster with nothing serving.
            throw new StageInputException($"Server group '{rollback}' cannot be rolled back onto itself: restoreServerGroupName must name another server group of its cluster.");
        }
        var target = groups.FirstOrDefault(g => g.Name == restore) ?? throw new StageInputException($"Server group '{restore}' (restoreServerGroupName) does not exist in account '{account}'.");

        var operations = new List<PlannedOperation>();
        if (target.Capacity.Desired < current.Capacity.Desired)
        {
            operations.Add(new($"resizeServerGroup {restore} to {current.Capacity.Desired} instances Up",
                id => new ResizeServerGroup(id.OperationId, account, restore, current.Capacity, id.ExecutionId, id.StageId, id.TaskId)));
        }
        // Enabling alongside a resize is safe: a balancer sends traffic only to instances that are Up.
        operations.Add(new($"enableServerGroup {restore}", id => new EnableServerGroup(id.OperationId, account, restore, id.ExecutionId, id.StageId, id.TaskId)));
        return new OperationPlan(operations, new JsonObject
        {
            ["rollbackContext"] = new JsonObject { ["rollbackServerGroupName"] = rollback, ["restoreServerGroupName"] = restore },
            ["credentials"] = account,
        });
    }
}

/// <summary>Second half of <c>rollbackServerGroup</c>: disables <c>rollbackContext.rollbackServerGroupName</c>, so only the restored group serves.</summary>
internal sealed class DisableRolledBackServerGroupTask : OperationTask
{
    public override string Name => "disableRolledBackServerGroupTask";

    protected override ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var c = context.Stage.Context;
        var account = StageSettings.Account(c);
        var rollback = (c["rollbackContext"] is JsonObject r ? StageSettings.Text(r, "rollbackServerGroupName") : null)
            ?? throw new StageInputException("rollbackContext.rollbackServerGroupName was not resolved.");
        return ValueTask.FromResult(new OperationPlan([new PlannedOperation($"disableServerGroup {rollback}",
            id => new DisableServerGroup(id.OperationId, account, rollback, id.ExecutionId, id.StageId, id.TaskId))]));
    }
}
