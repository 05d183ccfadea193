using Delivery.Clouddriver.Stages.Stages;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Clouddriver.Stages.Tasks;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Delivery.Clouddriver.Stages;

/// <summary>Plugs the stages that deploy through clouddriver into an orchestrator host.</summary>
public static class ClouddriverStagesExtensions
{
    /// <summary>
    /// Adds Spinnaker's cloud stage types (<c>deploy</c>, <c>createServerGroup</c>, <c>cloneServerGroup</c>, <c>resizeServerGroup</c>,
    /// <c>enableServerGroup</c>, <c>disableServerGroup</c>, <c>destroyServerGroup</c>, <c>rollbackServerGroup</c>,
    /// <c>disableCluster</c>, <c>shrinkCluster</c>, <c>scaleDownCluster</c>, <c>findImageFromCluster</c>,
    /// <c>terminateInstances</c>, <c>upsertLoadBalancer</c>, <c>deleteLoadBalancer</c>), lets their tasks send
    /// clouddriver's commands, and wakes them with <see cref="OperationCompleted"/>. Call on a host that runs the orchestrator.
    /// </summary>
    public static IServiceCollection AddClouddriverStages(this IServiceCollection services)
    {
        services.TryAddSingleton<ClusterInventory>();
        // One TaskMessageType per command. Not AddTaskMessage: its TryAddEnumerable refuses a second instance of the same
        // implementation type (TaskMessageType), so it admits one message type per host (a bug in the plug-in API).
        foreach (var command in (Type[])[typeof(CreateServerGroup), typeof(ResizeServerGroup), typeof(EnableServerGroup), typeof(DisableServerGroup),
            typeof(DestroyServerGroup), typeof(TerminateInstances), typeof(UpsertLoadBalancer), typeof(DeleteLoadBalancer)])
        {
            services.AddSingleton(new TaskMessageType(command));
        }
        // A reply to an operation no task sent (the HTTP ops endpoint, another client) carries no correlation and is ignored.
        services.AddTaskCallback<OperationCompleted>(r =>
            r is { ExecutionId: { } e, StageId: { } s, TaskId: { } t } ? new TaskCallbackTarget(e, s, t, r.OperationId) : null);

        services.AddStage<DeployStage>(t => t.AddTask<CheckDeployClustersTask>())
            .AddStage<CreateServerGroupStage>(t => t.AddTask<CreateServerGroupTask>())
            .AddStage<CloneServerGroupStage>(t => t.AddTask<CloneServerGroupTask>())
            .AddStage<ResizeServerGroupStage>(t => t.AddTask<ResizeServerGroupTask>())
            .AddStage<EnableServerGroupStage>(t => t.AddTask<EnableServerGroupTask>())
            .AddStage<DisableServerGroupStage>(t => t.AddTask<DisableServerGroupTask>())
            .AddStage<DestroyServerGroupStage>(t => t.AddTask<DestroyServerGroupTask>())
            .AddStage<RollbackServerGroupStage>(t => t.AddTask<EnableRestoreServerGroupTask>().AddTask<DisableRolledBackServerGroupTask>())
            .AddStage<RollbackFailedDeployStage>(t => t.AddTask<RestorePreviousServerGroupTask>().AddTask<DestroyFailedServerGroupTask>())
            .AddStage<DisableClusterStage>(t => t.AddTask<DisableClusterTask>())
            .AddStage<ShrinkClusterStage>(t => t.AddTask<ShrinkClusterTask>())
            .AddStage<ScaleDownClusterStage>(t => t.AddTask<ScaleDownClusterTask>())
            .AddStage<FindImageFromClusterStage>(t => t.AddTask<FindImageFromClusterTask>())
            .AddStage<TerminateInstancesStage>(t => t.AddTask<TerminateInstancesTask>())
            .AddStage<UpsertLoadBalancerStage>(t => t.AddTask<UpsertLoadBalancerTask>())
            .AddStage<DeleteLoadBalancerStage>(t => t.AddTask<DeleteLoadBalancerTask>());
        return services;
    }
}
