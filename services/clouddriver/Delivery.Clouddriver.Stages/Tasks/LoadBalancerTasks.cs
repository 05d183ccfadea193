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
