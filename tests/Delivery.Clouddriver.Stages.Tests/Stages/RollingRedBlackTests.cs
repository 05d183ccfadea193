using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Tests.TestHost;

namespace Delivery.Clouddriver.Stages.Tests.Stages;

[Collection(StandaloneCollection.Name)]
public sealed class RollingRedBlackTests(StandaloneHost host)
{
    private const string App = "rolling";

    [Fact]
    public async Task Rolling_redblack_grows_the_new_group_in_steps_then_disables_the_old_one()
    {
        await host.SucceedAsync(App, StandaloneHost.Deploy(StandaloneHost.HelloCluster(App, "web", "v1", 2, "none")));
        var cluster = StandaloneHost.HelloCluster(App, "web", "v2", 2, "rollingredblack");
        cluster["targetPercentages"] = new JsonArray(50);

        var execution = await host.SucceedAsync(App, StandaloneHost.Deploy(cluster));

        // Created at 50% (1 of 2), then resized to 100% (the 100 added after the given steps).
        var create = StandaloneHost.Stage(execution, "createServerGroup");
        Assert.Contains("1 instances to be Up", create["context"]!["clouddriver.task." + create["tasks"]![0]!["id"]!.GetValue<string>()]![0]!["description"]!.GetValue<string>());
        var resize = StandaloneHost.Stage(execution, "resizeServerGroup");
        Assert.Equal("rolling-web-v001", resize["context"]!["serverGroupName"]!.GetValue<string>());
        Assert.Equal(2, resize["context"]!["capacity"]!["desired"]!.GetValue<int>());
        Assert.True(resize["endTime"]!.GetValue<long>() <= StandaloneHost.Stage(execution, "disableCluster")["startTime"]!.GetValue<long>());

        var groups = await host.ServerGroupsAsync(App);
        var enabled = groups.Where(g => !g!["disabled"]!.GetValue<bool>()).ToList();
        Assert.Equal("rolling-web-v001", Assert.Single(enabled)!["name"]!.GetValue<string>());
        Assert.Equal(2, enabled[0]!["instances"]!.AsArray().Count(i => i!["health"]!.GetValue<string>() == "Up"));
    }

    [Theory]
    [InlineData("[50, 25]", "ascending")]
    [InlineData("[0]", "from 1 to 100")]
    [InlineData("[\"half\"]", "from 1 to 100")]
    public async Task Bad_target_percentages_fail_before_anything_is_created(string percentages, string mention)
    {
        var cluster = StandaloneHost.HelloCluster(App, "bad", "v1", 2, "rollingredblack");
        cluster["targetPercentages"] = JsonNode.Parse(percentages);

        var execution = await host.RunStageAsync(App, StandaloneHost.Deploy(cluster));

        Assert.Equal("TERMINAL", execution["status"]!.GetValue<string>());
        Assert.Contains(mention, StandaloneHost.Errors(execution));
        Assert.DoesNotContain(await host.ServerGroupsAsync(App), g => g!["cluster"]!.GetValue<string>() == "rolling-bad");
    }
}
