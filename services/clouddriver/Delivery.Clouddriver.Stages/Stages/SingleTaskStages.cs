using System.Text.Json.Nodes;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Stages;

/// <summary>A stage type that runs one clouddriver task (Orca's one-operation stages).</summary>
internal abstract class SingleTaskStage(string type, string taskName, string implementingClass) : IStageDefinition
{
    public string Type => type;

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new(taskName, implementingClass)];

    /// <summary>A restarted stage sends its commands again (new replies), so what the last run sent is forgotten.</summary>
    public void PrepareForRestart(JsonObject context) => ClouddriverStage.Forget(context);
}

/// <summary><c>resizeServerGroup</c>: <c>serverGroupName</c> or <c>target</c> + <c>cluster</c>, <c>credentials</c>, <c>capacity</c>.</summary>
internal sealed class ResizeServerGroupStage() : SingleTaskStage("resizeServerGroup", "resizeServerGroup", "resizeServerGroupTask");

/// <summary><c>enableServerGroup</c>: <c>serverGroupName</c> or <c>target</c> + <c>cluster</c>, <c>credentials</c>.</summary>
internal sealed class EnableServerGroupStage() : SingleTaskStage("enableServerGroup", "enableServerGroup", "enableServerGroupTask");

/// <summary><c>disableServerGroup</c>: <c>serverGroupName</c> or <c>target</c> + <c>cluster</c>, <c>credentials</c>.</summary>
internal sealed class DisableServerGroupStage() : SingleTaskStage("disableServerGroup", "disableServerGroup", "disableServerGroupTask");

/// <summary><c>destroyServerGroup</c>: <c>serverGroupName</c> or <c>target</c> + <c>cluster</c>, <c>credentials</c>.</summary>
internal sealed class DestroyServerGroupStage() : SingleTaskStage("destroyServerGroup", "destroyServerGroup", "destroyServerGroupTask");

/// <summary><c>disableCluster</c>: <c>cluster</c>, <c>credentials</c>, <c>remainingEnabledServerGroups</c> (1).</summary>
internal sealed class DisableClusterStage() : SingleTaskStage("disableCluster", "disableCluster", "disableClusterTask");

/// <summary><c>shrinkCluster</c>: <c>cluster</c>, <c>credentials</c>, <c>shrinkToSize</c> (1), <c>allowDeleteActive</c> (false).</summary>
internal sealed class ShrinkClusterStage() : SingleTaskStage("shrinkCluster", "shrinkCluster", "shrinkClusterTask");

/// <summary><c>scaleDownCluster</c>: <c>cluster</c>, <c>credentials</c>, <c>remainingFullSizeServerGroups</c> (1), <c>allowScaleDownActive</c> (false).</summary>
internal sealed class ScaleDownClusterStage() : SingleTaskStage("scaleDownCluster", "scaleDownCluster", "scaleDownClusterTask");

/// <summary><c>findImageFromCluster</c>: <c>cluster</c>, <c>credentials</c>, <c>selectionStrategy</c>, <c>onlyEnabled</c>.</summary>
internal sealed class FindImageFromClusterStage() : SingleTaskStage("findImageFromCluster", "findImage", "findImageFromClusterTask");

/// <summary><c>terminateInstances</c>: <c>instanceIds</c>, <c>credentials</c>.</summary>
internal sealed class TerminateInstancesStage() : SingleTaskStage("terminateInstances", "terminateInstances", "terminateInstancesTask");

/// <summary><c>upsertLoadBalancer</c>: <c>loadBalancerName</c>, <c>credentials</c>, <c>port</c>, <c>weights</c>.</summary>
internal sealed class UpsertLoadBalancerStage() : SingleTaskStage("upsertLoadBalancer", "upsertLoadBalancer", "upsertLoadBalancerTask");

/// <summary><c>deleteLoadBalancer</c>: <c>loadBalancerName</c>, <c>credentials</c>.</summary>
internal sealed class DeleteLoadBalancerStage() : SingleTaskStage("deleteLoadBalancer", "deleteLoadBalancer", "deleteLoadBalancerTask");

/// <summary>
/// <c>rollbackFailedDeploy</c>: planned by <c>createServerGroup</c> when its strategy failed after the new group was
/// created (Orca's deploy strategies roll back on failure): the previous group serves again, then the new one is
/// destroyed. Fields: <c>serverGroupName</c> (the new group), <c>cluster</c>, <c>credentials</c>.
/// </summary>
internal sealed class RollbackFailedDeployStage : IStageDefinition
{
    public string Type => "rollbackFailedDeploy";

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) =>
        [new("restorePreviousServerGroup", "restorePreviousServerGroupTask"), new("destroyFailedServerGroup", "destroyFailedServerGroupTask")];

    public void PrepareForRestart(JsonObject context) => ClouddriverStage.Forget(context);
}
