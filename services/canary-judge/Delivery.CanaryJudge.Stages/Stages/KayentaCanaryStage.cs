using System.Text.Json.Nodes;
using Delivery.CanaryJudge.Stages.Support;
using Delivery.Clouddriver.Stages.Stages;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Contracts.Clouddriver;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.CanaryJudge.Stages.Stages;

/// <summary>
/// <c>kayentaCanary</c> (Orca's <c>KayentaCanaryStage</c>): with <c>deployments</c>, deploys a baseline (production's
/// current version) and a canary (the new one) behind the production balancer at <c>trafficPercent</c> each, then
/// judges the canary interval by interval (see <see cref="Tasks.RunCanaryIntervalsTask"/>); without, judges the
/// <c>canaryConfig.scopes</c> it is given. The pair is always cleaned up: after success and after failure by
/// synthetic stages (its two clusters shrunk to nothing, then the balancer's weights cleared), on cancel by
/// destroy commands and weights that leave the pair no traffic.
/// </summary>
internal sealed class KayentaCanaryStage : IStageDefinition
{
    public string Type => "kayentaCanary";

    public IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => stage.Context["deployments"] is null
        ? [new("runCanaryIntervals", "runCanaryIntervalsTask")]
        : [new("prepareCanaryTraffic", "prepareCanaryTrafficTask"), new("deployCanaryServerGroups", "deployCanaryServerGroupsTask"), new("runCanaryIntervals", "runCanaryIntervalsTask")];

    public IReadOnlyList<SyntheticStage> AfterStages(IStageView stage) => Cleanup(stage);

    public IReadOnlyList<SyntheticStage> OnFailureStages(IStageView stage) => Cleanup(stage);

    public IReadOnlyList<object> OnCancel(IExecutionView execution, IStageView stage)
    {
        if (Deployments(stage) is not { } d || stage.Context[CanaryContext.ProductionWeights] is not JsonObject production || production.Count == 0)
        {
            return [];
        }
        var id = $"{execution.Id}:{stage.Id}:cancel";
        // Production takes all of the balancer: a pair still being created when the stage was canceled gets no traffic.
        var weights = production.Select(p => p.Key).ToDictionary(name => name, _ => 100 / production.Count);
        weights[weights.Keys.First()] += 100 % production.Count;
        var messages = new List<object> { new UpsertLoadBalancer($"{id}:weights", d.Account, d.LoadBalancer, null, weights) };
        foreach (var key in (string[])[CanaryContext.BaselineServerGroup, CanaryContext.CanaryServerGroup])
        {
            if (StageSettings.Text(stage.Context, key) is { } name)
            {
                messages.Add(new DestroyServerGroup($"{id}:{key}", d.Account, name));
            }
        }
        return messages;
    }

    public void PrepareForRestart(JsonObject context)
    {
        ClouddriverStage.Forget(context);
        foreach (var key in CanaryContext.All)
        {
            context.Remove(key);
        }
    }

    private static List<SyntheticStage> Cleanup(IStageView stage)
    {
        // Nothing to undo before the balancer was touched (bad input, or a canary of server groups it did not deploy).
        if (Deployments(stage) is not { } d || stage.Context[CanaryContext.ProductionWeights] is null)
        {
            return [];
        }
        JsonObject Shrink(string role) => new()
        {
            ["cluster"] = d.ClusterOf(role),
            ["credentials"] = d.Account,
            ["application"] = d.Application,
            ["cloudProvider"] = "local",
            ["shrinkToSize"] = 0,
            ["allowDeleteActive"] = true,
        };
        return
        [
            new("shrinkCluster", $"Destroy baseline {d.ClusterOf("baseline")}", Shrink("baseline")),
            new("shrinkCluster", $"Destroy canary {d.ClusterOf("canary")}", Shrink("canary")),
            new("upsertLoadBalancer", $"Restore {d.LoadBalancer} traffic", new JsonObject { ["loadBalancerName"] = d.LoadBalancer, ["credentials"] = d.Account }),
        ];
    }

    private static CanaryDeployments? Deployments(IStageView stage)
    {
        try
        {
            return CanaryDeployments.Read(stage.Context);
        }
        catch (StageInputException)
        {
            return null;
        }
    }
}
