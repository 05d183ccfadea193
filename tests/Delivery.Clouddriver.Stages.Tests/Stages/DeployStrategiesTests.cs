using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Tests.TestHost;
using Delivery.Clouddriver.Tests.TestHost;

namespace Delivery.Clouddriver.Stages.Tests.Stages;

[Collection(StandaloneCollection.Name)]
public sealed class DeployStrategiesTests(StandaloneHost host)
{
    private const string App = "demo";

    [Fact]
    public async Task Highlander_redblack_rollback_and_destroy_through_the_api_with_no_failed_request()
    {
        var balancer = await host.SucceedAsync(App, new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = "demo-web", ["credentials"] = "local" });
        var url = StandaloneHost.Stage(balancer, "upsertLoadBalancer")["outputs"]!["url"]!.GetValue<string>();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(url) };

        // v1, highlander: the balancer answers v1; Orca's outputs name the new group; while it waits, the stage says for what.
        var progress = new List<string>();
        var v1 = await host.SucceedAsync(App, StandaloneHost.Deploy(StandaloneHost.HelloCluster(App, "web", "v1", 2, "highlander", "demo-web")),
            e => progress.AddRange(e["stages"]!.AsArray().Select(s => s!["context"]?["waitingFor"]?.GetValue<string>()).OfType<string>()));
        Assert.Contains("createServerGroup in cluster demo-web (account local): 2 instances to be Up", progress);
        var created = StandaloneHost.Stage(v1, "createServerGroup");
        Assert.Equal("demo-web-v000", created["outputs"]!["deploy.server.groups"]!["local"]![0]!.GetValue<string>());
        Assert.Equal("local", created["outputs"]!["deploy.account.name"]!.GetValue<string>());
        Assert.Equal("v1", JsonNode.Parse(await http.GetStringAsync("/"))!["version"]!.GetValue<string>());

        await using var probe = new TrafficProbe(url);
        await probe.PassAsync(20);

        // v2, redblack: only v2 serves; v1 is disabled but keeps its instances.
        await host.SucceedAsync(App, StandaloneHost.Deploy(StandaloneHost.HelloCluster(App, "web", "v2", 2, "redblack", "demo-web")));
        var groups = await host.ServerGroupsAsync(App);
        var old = Group(groups, "demo-web-v000");
        Assert.True(old["disabled"]!.GetValue<bool>());
        Assert.Equal(2, old["instances"]!.AsArray().Count);
        Assert.False(Group(groups, "demo-web-v001")["disabled"]!.GetValue<bool>());
        probe.ResetVersions();
        await probe.PassAsync(40);
        Assert.Equal(["v2"], probe.Versions.Keys);

        // Rollback of the current group: v1 back, v2 disabled, and the traffic has switched when the stage ends.
        var rollback = await host.SucceedAsync(App, new JsonObject
        {
            ["type"] = "rollbackServerGroup",
            ["credentials"] = "local",
            ["cluster"] = "demo-web",
            ["target"] = "current_asg_dynamic",
        });
        // How fast the switch is belongs to bench/ (rollback_traffic_ms); here, that it is done when the stage ends.
        var stage = StandaloneHost.Stage(rollback, "rollbackServerGroup");
        Assert.Equal("demo-web-v000", stage["context"]!["rollbackContext"]!["restoreServerGroupName"]!.GetValue<string>());
        probe.ResetVersions();
        await probe.PassAsync(40);
        Assert.Equal(["v1"], probe.Versions.Keys);
        Assert.True(probe.Failures.IsEmpty, $"{probe.Failures.Count} of {probe.Requests} requests failed: {string.Join("; ", probe.Failures.Take(5))}");
        await probe.DisposeAsync();

        // Destroy both groups: their processes are gone.
        var pids = (await host.ServerGroupsAsync(App)).SelectMany(g => g!["instances"]!.AsArray()).Select(i => i!["pid"]!.GetValue<int>()).ToList();
        Assert.Equal(4, pids.Count);
        await host.SucceedAsync(App, new JsonObject { ["type"] = "destroyServerGroup", ["credentials"] = "local", ["serverGroupName"] = "demo-web-v001" });
        await host.SucceedAsync(App, new JsonObject { ["type"] = "destroyServerGroup", ["credentials"] = "local", ["cluster"] = "demo-web", ["target"] = "current_asg_dynamic" });
        Assert.Empty(await host.ServerGroupsAsync(App));
        Assert.All(pids, pid => Assert.False(StandaloneHost.IsRunning(pid), $"Process {pid} still runs."));
        await host.SucceedAsync(App, new JsonObject { ["type"] = "deleteLoadBalancer", ["credentials"] = "local", ["loadBalancerName"] = "demo-web" });
        Assert.Empty(await host.LoadBalancersAsync(App));
    }

    private static JsonObject Group(JsonArray groups, string name) => groups.Select(g => g!.AsObject()).Single(g => g["name"]!.GetValue<string>() == name);
}
