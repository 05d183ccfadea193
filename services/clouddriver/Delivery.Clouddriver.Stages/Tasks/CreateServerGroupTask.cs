using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Tasks;

/// <summary>
/// Creates the next server group of the stage's cluster (Orca's <c>CreateServerGroupTask</c> + <c>WaitForUpInstancesTask</c>:
/// clouddriver answers once every instance is Up). Outputs Orca's <c>deploy.server.groups</c> (<c>{region: [name]}</c>)
/// and <c>deploy.account.name</c>. A create that fails leaves nothing behind: clouddriver removes what it started.
/// </summary>
internal sealed class CreateServerGroupTask : OperationTask
{
    public override string Name => "createServerGroupTask";

    protected override ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var c = context.Stage.Context;
        var account = StageSettings.Account(c);
        var application = StageSettings.Text(c, "application") ?? throw new StageInputException("application is required.");
        var capacity = StageSettings.Capacity(c);
        var artifact = Artifact(c);
        var env = StageSettings.Env(c);
        var stack = StageSettings.Text(c, "stack");
        var detail = StageSettings.Text(c, "freeFormDetails");
        var loadBalancers = StageSettings.Strings(c, "loadBalancers");
        var healthCheckPath = StageSettings.Text(c, "healthCheckPath");
        var cluster = StageSettings.Cluster(c);
        if (StageSettings.Strategy(c) == RollingRedBlack.Strategy)
        {
            capacity = RollingRedBlack.Scaled(capacity, RollingRedBlack.Percentages(c)[0]);
        }
        return ValueTask.FromResult(new OperationPlan([new PlannedOperation(
            $"createServerGroup in cluster {cluster} (account {account}): {capacity.Desired} instances to be Up",
            id => new CreateServerGroup(id.OperationId, account, application, capacity, artifact, stack, detail, env, healthCheckPath, loadBalancers, id.ExecutionId, id.StageId, id.TaskId))]));
    }

    protected override TaskResult Completed(TaskContext context, IReadOnlyList<JsonObject> results) => DeployResult(results[0]);

    /// <summary>Orca's deploy outputs of a created group, read by strategies, rollbacks and <c>#deployedServerGroups()</c>.</summary>
    public static TaskResult DeployResult(JsonObject result)
    {
        var name = ContextValues.String(result["serverGroupName"]);
        var region = ContextValues.String(result["region"]) ?? "local";
        var outputs = new JsonObject
        {
            ["deploy.server.groups"] = new JsonObject { [region] = new JsonArray(name) },
            ["deploy.account.name"] = ContextValues.String(result["account"]),
            ["serverGroupName"] = name,
        };
        return TaskResult.Succeeded(Done((JsonObject)outputs.DeepClone()), outputs);
    }

    public static ProcessArtifact Artifact(JsonObject context)
    {
        if (context["artifact"] is not JsonObject artifact || StageSettings.Text(artifact, "command") is not { } command)
        {
            throw new StageInputException("artifact {command, args} is required for the local provider.");
        }
        return new ProcessArtifact(command, StageSettings.Strings(artifact, "args"));
    }
}
