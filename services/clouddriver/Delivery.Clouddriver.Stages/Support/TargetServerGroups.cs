using System.Text.Json.Nodes;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Stages.Support;

/// <summary>
/// Picks the server group a stage acts on, as Orca's <c>TargetServerGroup</c> / clouddriver's cluster
/// target lookup: an explicit <c>serverGroupName</c>, or <c>target</c> within <c>cluster</c>:
/// <c>current_asg_dynamic</c> (the newest), <c>ancestor_asg_dynamic</c> (the one before it),
/// <c>oldest_asg_dynamic</c> (the oldest).
/// </summary>
internal static class TargetServerGroups
{
    /// <summary>The target's name and, when it was looked up, its cluster's server groups (oldest first).</summary>
    public static async Task<(string Name, IReadOnlyList<ClusterServerGroup>? Cluster)> ResolveAsync(
        ClusterInventory inventory, JsonObject context, string account, CancellationToken cancellationToken)
    {
        if (StageSettings.ServerGroupName(context) is { } explicitName)
        {
            return (explicitName, null);
        }
        var target = StageSettings.Text(context, "target") ?? throw new StageInputException("serverGroupName or target (current_asg_dynamic, ancestor_asg_dynamic, oldest_asg_dynamic) is required.");
        var cluster = StageSettings.Cluster(context);
        var groups = await inventory.ServerGroupsAsync(account, StageSettings.Application(context, cluster), cluster, cancellationToken);
        var index = target switch
        {
            "current_asg_dynamic" or "current_asg" => groups.Count - 1,
            "ancestor_asg_dynamic" or "ancestor_asg" => groups.Count - 2,
            "oldest_asg_dynamic" or "oldest_asg" => groups.Count > 0 ? 0 : -1,
            _ => throw new StageInputException($"Unknown target '{target}'; use current_asg_dynamic, ancestor_asg_dynamic or oldest_asg_dynamic."),
        };
        return index < 0
            ? throw new StageInputException($"Cluster '{cluster}' in account '{account}' has no server group for target {target} ({groups.Count} server groups).")
            : (groups[index].Name, groups);
    }
}
