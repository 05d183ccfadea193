using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Stages.Support;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Clouddriver.Stages.Tasks;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.CanaryJudge.Stages.Tasks;

/// <summary>
/// Before the canary pair exists: reads the production cluster, keeps its newest enabled server group's artifact as
/// the baseline's (Orca's <c>FindImageFromClusterTask</c> for the baseline) and pins production's share of the
/// balancer to 100 - 2 x <c>trafficPercent</c>. The pair, not named in the weights, then shares the rest as soon as
/// its instances are Up, so it never takes more than its share, not even while it starts.
/// Records <c>canary.baseline</c> (<c>{sourceServerGroup, artifact, env, healthCheckPath}</c>) and <c>canary.productionWeights</c>.
/// </summary>
internal sealed class PrepareCanaryTrafficTask(ClusterInventory inventory) : OperationTask
{
    public override string Name => "prepareCanaryTrafficTask";

    protected override async ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        // The analysis settings are checked before anything is deployed, not when the first interval ends.
        CanaryAnalysisSettings.Read(context.Stage.Context);
        var deployments = CanaryDeployments.Read(context.Stage.Context);
        if (deployments is null)
        {
            return new OperationPlan([]);
        }
        var groups = await inventory.ServerGroupsAsync(deployments.Account, deployments.Application, deployments.Cluster, cancellationToken);
        var enabled = groups.Where(g => !g.Disabled && g.LoadBalancers.Contains(deployments.LoadBalancer)).ToList();
        var source = enabled.LastOrDefault(g => g.Artifact is not null)
            ?? throw new StageInputException($"Cluster '{deployments.Cluster}' in account '{deployments.Account}' has no enabled server group behind load balancer '{deployments.LoadBalancer}' to take the baseline from.");
        var productionShare = 100 - 2 * deployments.TrafficPercent;
        // Whole percents: the remainder of the split goes to the pair, a rounding error of less than one percent per group.
        var weights = enabled.ToDictionary(g => g.Name, _ => productionShare / enabled.Count);
        var recorded = new JsonObject
        {
            [CanaryContext.Baseline] = new JsonObject
            {
                ["sourceServerGroup"] = source.Name,
                ["artifact"] = JsonSerializer.SerializeToNode(source.Artifact, TaskCallbacks.SerializerOptions),
                ["env"] = JsonSerializer.SerializeToNode(source.Env, TaskCallbacks.SerializerOptions),
                ["healthCheckPath"] = source.HealthCheckPath,
            },
            [CanaryContext.ProductionWeights] = JsonSerializer.SerializeToNode(weights, TaskCallbacks.SerializerOptions),
        };
        return new OperationPlan([new PlannedOperation(
            $"upsertLoadBalancer {deployments.LoadBalancer}: production keeps {productionShare}% for the canary pair to take {deployments.TrafficPercent}% each",
            id => new UpsertLoadBalancer(id.OperationId, deployments.Account, deployments.LoadBalancer, null, weights, id.ExecutionId, id.StageId, id.TaskId))], recorded);
    }
}
