using System.Text.Json.Nodes;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Stages;

/// <summary>
/// <c>deploy</c> (Orca's <c>DeployStage</c>): one <c>createServerGroup</c> stage per entry of <c>clusters</c>, in order,
/// each with the cluster's own fields (<c>cloudProvider</c>, <c>account</c>, <c>application</c>, <c>stack</c>,
/// <c>freeFormDetails</c>, <c>capacity</c>, <c>strategy</c>, <c>loadBalancers</c>, and for <c>local</c>: <c>artifact</c>,
/// <c>env</c>, <c>healthCheckPath</c>).
/// </summary>
internal sealed class DeployStage : IStageDefinition
{
    public string Type => "deploy";

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => stage.Context["clusters"] is JsonArray { Count: > 0 } ? [] : [new("checkClusters", "checkDeployClustersTask")];

    public IReadOnlyList<SyntheticStage> BeforeStages(IStageView stage) =>
        stage.Context["clusters"] is JsonArray clusters
            ? [.. clusters.OfType<JsonObject>().Select(c => new SyntheticStage("createServerGroup", $"Deploy in {ClusterName(c)}", (JsonObject)c.DeepClone()))]
            : [];

    private static string ClusterName(JsonObject cluster)
    {
        try
        {
            return Support.StageSettings.Cluster(cluster);
        }
        catch (Support.StageInputException)
        {
            return "(no application)";
        }
    }
}

/// <summary>Fails a <c>deploy</c> stage that names no cluster.</summary>
internal sealed class CheckDeployClustersTask : IStageTask
{
    public string Name => "checkDeployClustersTask";

    public ValueTask<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TaskResult.Terminal("deploy needs clusters: a non-empty list of clusters to deploy."));
}
