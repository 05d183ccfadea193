using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Tasks;

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
