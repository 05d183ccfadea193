using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Stages.Support;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Clouddriver.Stages.Tasks;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.CanaryJudge.Stages.Tasks;

/// <summary>
/// Orca's <c>DeployCanaryServerGroupsStage</c>: creates the baseline (production's artifact and env) and the canary
/// (<c>deployments.canary</c> over them) server groups at once, each in its own cluster behind the production balancer,
/// and answers when both are Up. Outputs <c>baselineServerGroup</c>, <c>canaryServerGroup</c> and Orca's
/// <c>deployedServerGroups</c> (<c>[{controlScope, experimentScope, controlLocation, experimentLocation}]</c>).
/// </summary>
internal sealed class DeployCanaryServerGroupsTask : OperationTask
{
    public override string Name => "deployCanaryServerGroupsTask";

    protected override ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var c = context.Stage.Context;
        if (CanaryDeployments.Read(c) is not { } deployments)
        {
            return ValueTask.FromResult(new OperationPlan([]));
        }
        var baseline = c[CanaryContext.Baseline] as JsonObject ?? throw new StageInputException("The baseline was not prepared.");
        var baselineArtifact = Artifact(baseline["artifact"]) ?? throw new StageInputException("The production server group has no artifact to run as the baseline.");
        var canaryArtifact = Artifact(deployments.Canary["artifact"]) ?? baselineArtifact;
        var baselineEnv = Env(baseline["env"], "the production server group's env");
        var canaryEnv = new Dictionary<string, string>(baselineEnv, StringComparer.Ordinal);
        foreach (var (key, value) in Env(deployments.Canary["env"], "deployments.canary.env"))
        {
            canaryEnv[key] = value;
        }
        var baselineHealth = StageSettings.Text(baseline, "healthCheckPath");
        var canaryHealth = StageSettings.Text(deployments.Canary, "healthCheckPath") ?? baselineHealth;
        PlannedOperation Create(string role, ProcessArtifact artifact, IReadOnlyDictionary<string, string> env, string? health) => new(
            $"createServerGroup in cluster {deployments.ClusterOf(role)} (account {deployments.Account}): {deployments.Capacity.Desired} instances to be Up",
            id => new CreateServerGroup(id.OperationId, deployments.Account, deployments.Application, deployments.Capacity, artifact,
                deployments.Stack, deployments.DetailOf(role), env, health, [deployments.LoadBalancer], id.ExecutionId, id.StageId, id.TaskId));
        return ValueTask.FromResult(new OperationPlan(
            [Create("baseline", baselineArtifact, baselineEnv, baselineHealth), Create("canary", canaryArtifact, canaryEnv, canaryHealth)]));
    }

    protected override TaskResult Completed(TaskContext context, IReadOnlyList<JsonObject> results)
    {
        var account = ContextValues.String(results[0]["account"]);
        var outputs = new JsonObject
        {
            [CanaryContext.BaselineServerGroup] = results[0]["serverGroupName"]?.DeepClone(),
            [CanaryContext.CanaryServerGroup] = results[1]["serverGroupName"]?.DeepClone(),
            ["deployedServerGroups"] = new JsonArray(new JsonObject
            {
                ["controlScope"] = results[0]["serverGroupName"]?.DeepClone(),
                ["controlLocation"] = account,
                ["experimentScope"] = results[1]["serverGroupName"]?.DeepClone(),
                ["experimentLocation"] = account,
            }),
        };
        return TaskResult.Succeeded(Done((JsonObject)outputs.DeepClone()), outputs);
    }

    private static ProcessArtifact? Artifact(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }
        if (node is not JsonObject artifact || StageSettings.Text(artifact, "command") is not { } command)
        {
            throw new StageInputException("An artifact is {command, args}.");
        }
        return new ProcessArtifact(command, StageSettings.Strings(artifact, "args"));
    }

    private static Dictionary<string, string> Env(JsonNode? node, string what) => node switch
    {
        null => new(StringComparer.Ordinal),
        JsonObject o => o.ToDictionary(p => p.Key, p => ContextValues.String(p.Value) ?? "", StringComparer.Ordinal),
        _ => throw new StageInputException($"{what} must be an object of strings."),
    };
}
