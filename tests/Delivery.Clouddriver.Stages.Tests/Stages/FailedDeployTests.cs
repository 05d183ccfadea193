using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Stages;
using Delivery.Clouddriver.Stages.Tests.TestHost;
using Delivery.Contracts;
using Delivery.Orchestrator.Abstractions;

namespace Delivery.Clouddriver.Stages.Tests.Stages;

/// <summary>A deploy whose strategy fails after the new group was created goes back to what served before.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class FailedDeployTests(StandaloneHost host)
{
    private const string App = "failing";

    [Fact]
    public void A_failed_strategy_plans_the_rollback_of_the_created_group_and_a_failed_create_plans_nothing()
    {
        var stage = new CreateServerGroupStage();
        var cluster = StandaloneHost.HelloCluster(App, "web", "v2", 1, "redblack");

        var planned = Assert.Single(stage.OnFailureStages(new StageView(cluster, new JsonObject { ["serverGroupName"] = "failing-web-v001" })));

        Assert.Equal("rollbackFailedDeploy", planned.Type);
        Assert.Equal("failing-web-v001", planned.Context["serverGroupName"]!.GetValue<string>());
        Assert.Equal("failing-web", planned.Context["cluster"]!.GetValue<string>());
        Assert.Equal("local", planned.Context["credentials"]!.GetValue<string>());
        Assert.Empty(stage.OnFailureStages(new StageView(cluster, [])));
    }

    [Fact]
    public async Task Rolling_back_a_failed_redblack_restores_the_previous_group_and_destroys_the_new_one()
    {
        await host.SucceedAsync(App, new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = "failing-web", ["credentials"] = "local" });
        await host.SucceedAsync(App, StandaloneHost.Deploy(StandaloneHost.HelloCluster(App, "web", "v1", 1, "none", "failing-web")));
        var second = StandaloneHost.HelloCluster(App, "web", "v2", 1, "redblack", "failing-web");
        second["scaleDown"] = true;
        await host.SucceedAsync(App, StandaloneHost.Deploy(second));
        var groups = await host.ServerGroupsAsync(App);
        Assert.Equal(["failing-web-v001"], Enabled(groups));
        var created = Up(groups, "failing-web-v001").Single();

        // What createServerGroup plans when its strategy fails, run as a stage.
        var rollback = await host.SucceedAsync(App, new JsonObject
        {
            ["type"] = "rollbackFailedDeploy", ["serverGroupName"] = "failing-web-v001", ["cluster"] = "failing-web", ["credentials"] = "local",
        });

        Assert.Equal("failing-web-v000", StandaloneHost.Stage(rollback, "rollbackFailedDeploy")["context"]!["restoreServerGroupName"]!.GetValue<string>());
        groups = await host.ServerGroupsAsync(App);
        Assert.Equal(["failing-web-v000"], Enabled(groups));
        Assert.Single(Up(groups, "failing-web-v000"));
        Assert.DoesNotContain(groups, g => g!["name"]!.GetValue<string>() == "failing-web-v001");
        Assert.False(StandaloneHost.IsRunning(created), $"Process {created} of the destroyed group still runs.");
    }

    [Fact]
    public async Task Without_an_older_group_the_new_one_is_kept_serving()
    {
        await host.SucceedAsync(App, StandaloneHost.Deploy(StandaloneHost.HelloCluster(App, "alone", "v1", 1, "none")));

        var rollback = await host.SucceedAsync(App, new JsonObject
        {
            ["type"] = "rollbackFailedDeploy", ["serverGroupName"] = "failing-alone-v000", ["cluster"] = "failing-alone", ["credentials"] = "local",
        });

        Assert.Contains("no older server group", StandaloneHost.Stage(rollback, "rollbackFailedDeploy")["context"]!["kept"]!.GetValue<string>());
        Assert.Single(Up(await host.ServerGroupsAsync(App), "failing-alone-v000"));
    }

    private static List<string> Enabled(JsonArray groups) =>
        [.. groups.Where(g => g!["cluster"]!.GetValue<string>() == "failing-web" && !g["disabled"]!.GetValue<bool>()).Select(g => g!["name"]!.GetValue<string>())];

    private static List<int> Up(JsonArray groups, string name) =>
        [.. groups.Single(g => g!["name"]!.GetValue<string>() == name)!["instances"]!.AsArray()
            .Where(i => i!["health"]!.GetValue<string>() == "Up").Select(i => i!["pid"]!.GetValue<int>())];

    private sealed record StageView(JsonObject Context, JsonObject Outputs) : IStageView
    {
        public string Id => "stage";
        public string RefId => "1";
        public string Type => "createServerGroup";
        public string Name => "Deploy";
        public ExecutionStatus Status => ExecutionStatus.Terminal;
        public long? StartTime => 1;
        public long? EndTime => 2;
        public IReadOnlyList<string> RequisiteStageRefIds => [];
        public string? ParentStageId => null;
        public string? SyntheticStageOwner => null;
        public IReadOnlyList<ITaskView> Tasks => [];
    }
}
