using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Tasks;

/// <summary>
/// Orca's <c>UpsertLoadBalancerTask</c>: <c>loadBalancerName</c> (a stage's <c>name</c> is its title), <c>credentials</c>, optional <c>port</c>
/// and <c>weights</c> (percent per server group). Outputs <c>loadBalancerName</c> and the listener's <c>url</c>.
/// </summary>
internal sealed class UpsertLoadBalancerTask : OperationTask
{
    public override string Name => "upsertLoadBalancerTask";

    protected override ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var c = context.Stage.Context;
        var account = StageSettings.Account(c);
        var name = StageSettings.Text(c, "loadBalancerName") ?? throw new StageInputException("loadBalancerName is required.");
        int? port = c["port"] is null ? null : StageSettings.Int(c, "port", 0);
        var weights = c["weights"] switch
        {
            null => null,
            JsonObject o => o.ToDictionary(p => p.Key, p => StageSettings.Int(o, p.Key, 0)),
            _ => throw new StageInputException("weights must be an object {serverGroupName: percent}."),
        };
        return ValueTask.FromResult(new OperationPlan([new PlannedOperation($"upsertLoadBalancer {name} (account {account})",
            id => new UpsertLoadBalancer(id.OperationId, account, name, port, weights, id.ExecutionId, id.StageId, id.TaskId))]));
    }

    protected override TaskResult Completed(TaskContext context, IReadOnlyList<JsonObject> results)
    {
        var outputs = new JsonObject { ["loadBalancerName"] = results[0]["loadBalancerName"]?.DeepClone(), ["url"] = results[0]["url"]?.DeepClone() };
        return TaskResult.Succeeded(Done((JsonObject)outputs.DeepClone()), outputs);
    }
}

/// <summary>Orca's <c>DeleteLoadBalancerTask</c>: <c>loadBalancerName</c>, <c>credentials</c>.</summary>
internal sealed class DeleteLoadBalancerTask : OperationTask
{
    public override string Name => "deleteLoadBalancerTask";

    protected override ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var c = context.Stage.Context;
        var account = StageSettings.Account(c);
        var name = StageSettings.Text(c, "loadBalancerName") ?? throw new StageInputException("loadBalancerName is required.");
        return ValueTask.FromResult(new OperationPlan([new PlannedOperation($"deleteLoadBalancer {name} (account {account})",
            id => new DeleteLoadBalancer(id.OperationId, account, name, id.ExecutionId, id.StageId, id.TaskId))]));
    }
}

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

/// <summary>
/// Orca's <c>FindImageFromClusterTask</c> for the local provider: the artifact of the cluster's <c>selectionStrategy</c>
/// (<c>NEWEST</c>, <c>OLDEST</c>, <c>LARGEST</c>) server group, enabled ones only unless <c>onlyEnabled</c> is false.
/// Outputs <c>deploymentDetails</c> (<c>[{serverGroupName, account, cloudProvider, artifact, env, healthCheckPath}]</c>) and <c>artifact</c>.
/// </summary>
internal sealed class FindImageFromClusterTask(ClusterInventory inventory) : IStageTask
{
    public string Name => "findImageFromClusterTask";

    public async ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var c = context.Stage.Context;
        var account = StageSettings.Account(c);
        var cluster = StageSettings.Cluster(c);
        var groups = (await inventory.ServerGroupsAsync(account, StageSettings.Application(c, cluster), cluster, cancellationToken))
            .Where(g => !StageSettings.Bool(c, "onlyEnabled", true) || !g.Disabled).ToList();
        var strategy = (StageSettings.Text(c, "selectionStrategy") ?? "NEWEST").ToUpperInvariant();
        var chosen = strategy switch
        {
            "NEWEST" => groups.LastOrDefault(),
            "OLDEST" => groups.FirstOrDefault(),
            "LARGEST" => groups.OrderByDescending(g => g.Capacity.Desired).ThenByDescending(g => g.CreatedTime).FirstOrDefault(),
            _ => throw new StageInputException($"Unknown selectionStrategy '{strategy}'; use NEWEST, OLDEST or LARGEST."),
        } ?? throw new StageInputException($"Cluster '{cluster}' in account '{account}' has no server group to take the image from.");
        var artifact = System.Text.Json.JsonSerializer.SerializeToNode(chosen.Artifact, TaskCallbacks.SerializerOptions);
        var details = new JsonObject
        {
            ["serverGroupName"] = chosen.Name,
            ["account"] = account,
            ["cloudProvider"] = "local",
            ["artifact"] = artifact,
            ["env"] = System.Text.Json.JsonSerializer.SerializeToNode(chosen.Env, TaskCallbacks.SerializerOptions),
            ["healthCheckPath"] = chosen.HealthCheckPath,
        };
        var outputs = new JsonObject { ["deploymentDetails"] = new JsonArray(details), ["artifact"] = artifact?.DeepClone() };
        return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
    }
}
