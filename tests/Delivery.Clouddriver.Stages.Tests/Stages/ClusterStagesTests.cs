using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Tests.TestHost;

namespace Delivery.Clouddriver.Stages.Tests.Stages;

[Collection(StandaloneCollection.Name)]
public sealed class ClusterStagesTests(StandaloneHost host)
{
    private const string App = "ops";

    [Fact]
    public async Task Cluster_stages_redblack_options_resize_terminate_and_rollback_of_a_scaled_down_group()
    {
        await host.SucceedAsync(App, new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = "ops-web", ["credentials"] = "local" });
        await host.SucceedAsync(App, StandaloneHost.Deploy(StandaloneHost.HelloCluster(App, "web", "v1", 1, "none", "ops-web")));
        await host.SucceedAsync(App, StandaloneHost.Deploy(StandaloneHost.HelloCluster(App, "web", "v2", 1, "none", "ops-web")));
        Assert.Equal(["ops-web-v000", "ops-web-v001"], Enabled(await host.ServerGroupsAsync(App)));

        // disableCluster keeps the newest enabled one.
        await host.SucceedAsync(App, Cluster("disableCluster"));
        Assert.Equal(["ops-web-v001"], Enabled(await host.ServerGroupsAsync(App)));

        var image = await host.SucceedAsync(App, Cluster("findImageFromCluster"));
        var details = StandaloneHost.Stage(image, "findImageFromCluster")["outputs"]!["deploymentDetails"]![0]!;
        Assert.Equal("ops-web-v001", details["serverGroupName"]!.GetValue<string>());
        Assert.Equal(StandaloneHost.HelloDll, details["artifact"]!["args"]![0]!.GetValue<string>());

        // redblack with maxRemainingAsgs 2 and scaleDown: v000 (disabled, third newest) destroyed, v001 disabled and scaled to 0.
        var cluster = StandaloneHost.HelloCluster(App, "web", "v3", 1, "redblack", "ops-web");
        cluster["maxRemainingAsgs"] = 2;
        cluster["scaleDown"] = true;
        await host.SucceedAsync(App, StandaloneHost.Deploy(cluster));
        var groups = await host.ServerGroupsAsync(App);
        Assert.Equal(["ops-web-v001", "ops-web-v002"], Names(groups));
        Assert.Equal(["ops-web-v002"], Enabled(groups));
        Assert.Empty(Group(groups, "ops-web-v001")["instances"]!.AsArray());

        var resize = Cluster("resizeServerGroup");
        resize["target"] = "current_asg_dynamic";
        resize["capacity"] = new JsonObject { ["min"] = 2, ["max"] = 2, ["desired"] = 2 };
        await host.SucceedAsync(App, resize);
        var instances = Group(await host.ServerGroupsAsync(App), "ops-web-v002")["instances"]!.AsArray();
        Assert.Equal(2, instances.Count);
        var (id, pid) = (instances[0]!["id"]!.GetValue<string>(), instances[0]!["pid"]!.GetValue<int>());

        // A terminated instance's process is gone when the stage ends (the group then replaces it).
        await host.SucceedAsync(App, new JsonObject { ["type"] = "terminateInstances", ["credentials"] = "local", ["instanceIds"] = new JsonArray(id) });
        Assert.False(StandaloneHost.IsRunning(pid), $"Process {pid} still runs.");

        // Rolling back to the scaled-down v001 sizes it back up before it takes the traffic.
        var rollback = Cluster("rollbackServerGroup");
        rollback["rollbackContext"] = new JsonObject { ["rollbackServerGroupName"] = "ops-web-v002" };
        await host.SucceedAsync(App, rollback);
        groups = await host.ServerGroupsAsync(App);
        Assert.Equal(["ops-web-v001"], Enabled(groups));
        Assert.Equal(2, Group(groups, "ops-web-v001")["instances"]!.AsArray().Count(i => i!["health"]!.GetValue<string>() == "Up"));

        var shrink = Cluster("shrinkCluster");
        shrink["shrinkToSize"] = 0;
        shrink["allowDeleteActive"] = true;
        await host.SucceedAsync(App, shrink);
        Assert.Empty(await host.ServerGroupsAsync(App));
        await host.SucceedAsync(App, new JsonObject { ["type"] = "deleteLoadBalancer", ["credentials"] = "local", ["loadBalancerName"] = "ops-web" });
    }

    private static JsonObject Cluster(string type) => new() { ["type"] = type, ["credentials"] = "local", ["cluster"] = "ops-web" };

    private static JsonObject Group(JsonArray groups, string name) => groups.Select(g => g!.AsObject()).Single(g => g["name"]!.GetValue<string>() == name);

    private static List<string> Names(JsonArray groups) => [.. groups.Select(g => g!["name"]!.GetValue<string>())];

    private static List<string> Enabled(JsonArray groups) => [.. groups.Where(g => !g!["disabled"]!.GetValue<bool>()).Select(g => g!["name"]!.GetValue<string>())];
}
