using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Tasks;

/// <summary>
/// Orca's <c>CloneServerGroupTask</c>: creates the next server group of a cluster from an existing one, the
/// <c>source</c> (<c>{account, asgName}</c> / <c>serverGroupName</c>, else <c>target</c> in <c>cluster</c>, default the
/// cluster's current group). The new group takes the source's artifact, env, health check path, load balancers
/// and capacity, except what the stage gives (<c>artifact</c>, <c>env</c>, <c>healthCheckPath</c>, <c>loadBalancers</c>,
/// <c>capacity</c> unless <c>useSourceCapacity</c>), in the source's cluster unless the stage names
/// <c>application</c>/<c>stack</c>/<c>freeFormDetails</c>. The resolved fields are written to the stage context, so
/// the strategy stages (see <see cref="Stages.CreateServerGroupStage"/>) act on the right cluster.
/// </summary>
internal sealed class CloneServerGroupTask(ClusterInventory inventory) : OperationTask
{
    public override string Name => "cloneServerGroupTask";

    protected override async ValueTask<OperationPlan> PlanAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var c = context.Stage.Context;
        var account = StageSettings.Account(c);
        var given = c["source"] as JsonObject ?? [];
        var sourceAccount = StageSettings.Text(given, "account") ?? StageSettings.Text(given, "credentials") ?? account;
        var sourceName = StageSettings.ServerGroupName(given)
            ?? (await TargetServerGroups.ResolveAsync(inventory, SourceSelector(c), sourceAccount, cancellationToken)).Name;
        var sourceCluster = StageSettings.ClusterOf(sourceName);
        var groups = await inventory.ServerGroupsAsync(sourceAccount, StageSettings.Application(c, sourceCluster), sourceCluster, cancellationToken);
        var source = groups.FirstOrDefault(g => g.Name == sourceName)
            ?? throw new StageInputException($"The source server group '{sourceName}' does not exist in account '{sourceAccount}'.");

        var (application, stack, detail) = Frigga(sourceCluster);
        application = StageSettings.Text(c, "application") ?? application;
        stack = c["stack"] is null ? stack : StageSettings.Text(c, "stack");
        detail = c["freeFormDetails"] is null ? detail : StageSettings.Text(c, "freeFormDetails");
        var capacity = c["capacity"] is null || StageSettings.Bool(c, "useSourceCapacity", false) ? source.Capacity : StageSettings.Capacity(c);
        var artifact = c["artifact"] is null ? source.Artifact ?? throw new StageInputException($"The source '{sourceName}' has no artifact to clone; give artifact.") : CreateServerGroupTask.Artifact(c);
        var env = StageSettings.Env(c) ?? source.Env;
        var healthCheckPath = StageSettings.Text(c, "healthCheckPath") ?? source.HealthCheckPath;
        var loadBalancers = StageSettings.Strings(c, "loadBalancers") ?? source.LoadBalancers;
        var created = StageSettings.Strategy(c) == RollingRedBlack.Strategy ? RollingRedBlack.Scaled(capacity, RollingRedBlack.Percentages(c)[0]) : capacity;
        var cluster = detail is not null ? $"{application}-{stack}-{detail}" : stack is not null ? $"{application}-{stack}" : application;
        var resolved = new JsonObject
        {
            ["credentials"] = account,
            ["application"] = application,
            ["stack"] = stack,
            ["freeFormDetails"] = detail,
            ["cluster"] = cluster,
            ["capacity"] = RollingRedBlack.Json(capacity),
            ["source"] = new JsonObject { ["account"] = sourceAccount, ["asgName"] = sourceName },
        };
        return new OperationPlan([new PlannedOperation(
            $"cloneServerGroup {sourceName} into cluster {cluster} (account {account}): {created.Desired} instances to be Up",
            id => new CreateServerGroup(id.OperationId, account, application, created, artifact, stack, detail, env, healthCheckPath, loadBalancers, id.ExecutionId, id.StageId, id.TaskId))],
            resolved);
    }

    protected override TaskResult Completed(TaskContext context, IReadOnlyList<JsonObject> results) => CreateServerGroupTask.DeployResult(results[0]);

    /// <summary>The stage's own target fields, which name the source when <c>source</c> does not.</summary>
    private static JsonObject SourceSelector(JsonObject context)
    {
        var selector = new JsonObject { ["target"] = StageSettings.Text(context, "target") ?? "current_asg_dynamic" };
        foreach (var key in (string[])["cluster", "moniker", "application", "stack", "freeFormDetails"])
        {
            selector[key] = context[key]?.DeepClone();
        }
        return selector;
    }

    /// <summary>A cluster name's Frigga parts: application, stack, detail (the rest, which may hold dashes).</summary>
    private static (string Application, string? Stack, string? Detail) Frigga(string cluster)
    {
        var parts = cluster.Split('-', 3);
        return (parts[0], parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null, parts.Length > 2 ? parts[2] : null);
    }
}
