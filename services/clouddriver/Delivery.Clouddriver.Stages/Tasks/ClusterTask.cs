using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Tasks;

/// <summary>
/// Orca's <c>AbstractClusterWideClouddriverTask</c>: reads the cluster (<c>cluster</c>, <c>credentials</c>), keeps the
/// newest server groups it must keep and sends one command for each of the others. Records what it acted on in
/// the context under the task's name.
/// </summary>
internal abstract class ClusterTask(ClusterInventory inventory) : OperationTask
{
    /// <summary>The server groups to act on, given the cluster newest first.</summary>
    protected abstract IEnumerable<ClusterServerGroup> Select(JsonObject context, IReadOnlyList<ClusterServerGroup> newestFirst);

    protected abstract PlannedOperation Operation(JsonObject context, string account, ClusterServerGroup group);

    protected override async ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var c = context.Stage.Context;
        var account = StageSettings.Account(c);
        var cluster = StageSettings.Cluster(c);
        var groups = await inventory.ServerGroupsAsync(account, StageSettings.Application(c, cluster), cluster, cancellationToken);
        var chosen = Select(c, [.. groups.Reverse()]).ToList();
        var recorded = new JsonObject { [Name] = new JsonArray([.. chosen.Select(g => (JsonNode)g.Name)]) };
        return new OperationPlan([.. chosen.Select(g => Operation(c, account, g))], recorded);
    }

    /// <summary>The groups after the first <paramref name="keep"/> (newest first), optionally only disabled ones.</summary>
    protected static IEnumerable<ClusterServerGroup> Beyond(IReadOnlyList<ClusterServerGroup> newestFirst, int keep, bool includeActive) =>
        newestFirst.Skip(Math.Max(0, keep)).Where(g => includeActive || g.Disabled);
}

/// <summary>
/// Orca's <c>DisableClusterTask</c>: disables every enabled server group but the newest
/// <c>remainingEnabledServerGroups</c> (1) enabled ones.
/// </summary>
internal sealed class DisableClusterTask(ClusterInventory inventory) : ClusterTask(inventory)
{
    public override string Name => "disableClusterTask";

    protected override IEnumerable<ClusterServerGroup> Select(JsonObject context, IReadOnlyList<ClusterServerGroup> newestFirst) =>
        newestFirst.Where(g => !g.Disabled).Skip(Math.Max(0, StageSettings.Int(context, "remainingEnabledServerGroups", 1)));

    protected override PlannedOperation Operation(JsonObject context, string account, ClusterServerGroup group) =>
        new($"disableServerGroup {group.Name}", id => new DisableServerGroup(id.OperationId, account, group.Name, id.ExecutionId, id.StageId, id.TaskId));
}

/// <summary>
/// Orca's <c>ShrinkClusterTask</c>: destroys the server groups beyond the newest <c>shrinkToSize</c> (1); enabled
/// ones only with <c>allowDeleteActive</c> (false).
/// </summary>
internal sealed class ShrinkClusterTask(ClusterInventory inventory) : ClusterTask(inventory)
{
    public override string Name => "shrinkClusterTask";

    protected override IEnumerable<ClusterServerGroup> Select(JsonObject context, IReadOnlyList<ClusterServerGroup> newestFirst) =>
        Beyond(newestFirst, StageSettings.Int(context, "shrinkToSize", 1), StageSettings.Bool(context, "allowDeleteActive", false));

    protected override PlannedOperation Operation(JsonObject context, string account, ClusterServerGroup group) =>
        new($"destroyServerGroup {group.Name}: its processes to exit", id => new DestroyServerGroup(id.OperationId, account, group.Name, id.ExecutionId, id.StageId, id.TaskId));
}

/// <summary>
/// Orca's <c>ScaleDownClusterTask</c>: resizes to 0 the server groups beyond the newest
/// <c>remainingFullSizeServerGroups</c> (1); enabled ones only with <c>allowScaleDownActive</c> (false). Kept, so a
/// rollback can resize them back.
/// </summary>
internal sealed class ScaleDownClusterTask(ClusterInventory inventory) : ClusterTask(inventory)
{
    public override string Name => "scaleDownClusterTask";

    protected override IEnumerable<ClusterServerGroup> Select(JsonObject context, IReadOnlyList<ClusterServerGroup> newestFirst) =>
        Beyond(newestFirst, StageSettings.Int(context, "remainingFullSizeServerGroups", 1), StageSettings.Bool(context, "allowScaleDownActive", false))
            .Where(g => g.Capacity.Desired > 0);

    protected override PlannedOperation Operation(JsonObject context, string account, ClusterServerGroup group) =>
        new($"resizeServerGroup {group.Name} to 0", id => new ResizeServerGroup(id.OperationId, account, group.Name, new ServerGroupCapacity(0, 0, 0), id.ExecutionId, id.StageId, id.TaskId));
}
