using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Support;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Stages;

/// <summary>
/// <c>createServerGroup</c>: creates the cluster's next server group, then applies <c>strategy</c> with the stages
/// Orca's strategies add after it (<c>HighlanderStrategy</c>, <c>RedBlackStrategy</c>):
/// <list type="bullet">
/// <item><c>highlander</c>: <c>shrinkCluster</c> to 1 with <c>allowDeleteActive</c>: every older group is destroyed.</item>
/// <item><c>redblack</c>: <c>shrinkCluster</c> to <c>maxRemainingAsgs</c> (disabled groups only) when set;
/// <c>wait</c> <c>delayBeforeDisableSec</c>; <c>disableCluster</c> keeping 1 enabled (the new one); with <c>scaleDown</c>,
/// <c>wait</c> <c>delayBeforeScaleDownSec</c> and <c>scaleDownCluster</c> of the disabled groups to 0.</item>
/// <item><c>rollingredblack</c>: created at the first of <c>targetPercentages</c> of its capacity, <c>resizeServerGroup</c> to
/// each following one, then red/black's steps (<see cref="RollingRedBlack"/>).</item>
/// <item><c>none</c> (or no strategy): nothing; the new group serves beside the older ones.</item>
/// </list>
/// A create that fails leaves the cluster as it was (clouddriver removes what it started), so older groups keep serving;
/// a strategy that fails after the create is rolled back (<see cref="OnFailureStages"/>).
/// </summary>
internal class CreateServerGroupStage : IStageDefinition
{
    /// <summary>The strategies this stage knows; <see cref="Tasks.CreateServerGroupTask"/> rejects others before creating anything.</summary>
    public static readonly IReadOnlySet<string> Strategies = new HashSet<string>(StringComparer.Ordinal) { "", "none", "highlander", "redblack", RollingRedBlack.Strategy };

    public virtual string Type => "createServerGroup";

    public virtual IReadOnlyList<TaskDefinition> Tasks(IStageView stage) => [new("createServerGroup", "createServerGroupTask")];

    public void PrepareForRestart(JsonObject context) => ClouddriverStage.Forget(context);

    public IReadOnlyList<SyntheticStage> AfterStages(IStageView stage)
    {
        var c = stage.Context;
        var cluster = StageSettings.Cluster(c);
        JsonObject Cluster(JsonObject settings)
        {
            settings["cluster"] = cluster;
            settings["credentials"] = StageSettings.Account(c);
            settings["application"] = StageSettings.Application(c, cluster);
            settings["cloudProvider"] = StageSettings.Text(c, "cloudProvider") ?? "local";
            return settings;
        }
        var after = new List<SyntheticStage>();
        switch (StageSettings.Text(c, "strategy") ?? "")
        {
            case "highlander":
                after.Add(new("shrinkCluster", $"shrinkCluster {cluster}", Cluster(new() { ["shrinkToSize"] = 1, ["allowDeleteActive"] = true })));
                break;
            case RollingRedBlack.Strategy:
                var created = ContextValues.String(stage.Outputs["serverGroupName"]);
                var full = StageSettings.Capacity(c);
                foreach (var percent in RollingRedBlack.Percentages(c).Skip(1))
                {
                    after.Add(new("resizeServerGroup", $"resize {created} to {percent}%", Cluster(new()
                    {
                        ["serverGroupName"] = created,
                        ["capacity"] = RollingRedBlack.Json(RollingRedBlack.Scaled(full, percent)),
                    })));
                }
                AddRedBlack(after, c, cluster, Cluster);
                break;
            case "redblack":
                AddRedBlack(after, c, cluster, Cluster);
                break;
        }
        return after;
    }

    /// <summary>Red/black's steps after the new group serves: shrink the disabled ones, disable the older ones, scale them down.</summary>
    private static void AddRedBlack(List<SyntheticStage> after, JsonObject c, string cluster, Func<JsonObject, JsonObject> inCluster)
    {
        if (StageSettings.Int(c, "maxRemainingAsgs", 0) is > 0 and var keep)
        {
            after.Add(new("shrinkCluster", $"shrinkCluster {cluster}", inCluster(new() { ["shrinkToSize"] = keep, ["allowDeleteActive"] = false })));
        }
        AddWait(after, c, "delayBeforeDisableSec");
        after.Add(new("disableCluster", $"disableCluster {cluster}", inCluster(new() { ["remainingEnabledServerGroups"] = 1 })));
        if (StageSettings.Bool(c, "scaleDown", false))
        {
            AddWait(after, c, "delayBeforeScaleDownSec");
            after.Add(new("scaleDownCluster", $"scaleDownCluster {cluster}",
                inCluster(new() { ["remainingFullSizeServerGroups"] = 1, ["allowScaleDownActive"] = false })));
        }
    }

    /// <summary>
    /// When the strategy failed after the new group was created, the cluster goes back to what served before
    /// (<see cref="RollbackFailedDeployStage"/>). A failed create needs nothing: clouddriver removed what it started.
    /// </summary>
    public IReadOnlyList<SyntheticStage> OnFailureStages(IStageView stage)
    {
        if (ContextValues.String(stage.Outputs["serverGroupName"]) is not { } created)
        {
            return [];
        }
        var c = stage.Context;
        var cluster = StageSettings.Cluster(c);
        return [new("rollbackFailedDeploy", $"Roll back failed deploy of {created}", new JsonObject
        {
            ["serverGroupName"] = created,
            ["cluster"] = cluster,
            ["credentials"] = StageSettings.Account(c),
            ["application"] = StageSettings.Application(c, cluster),
            ["cloudProvider"] = StageSettings.Text(c, "cloudProvider") ?? "local",
        })];
    }

    private static void AddWait(List<SyntheticStage> after, JsonObject context, string key)
    {
        if (StageSettings.Int(context, key, 0) is > 0 and var seconds)
        {
            after.Add(new("wait", $"wait {seconds} s ({key})", new JsonObject { ["waitTime"] = seconds }));
        }
    }
}
