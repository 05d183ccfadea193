using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Tests.TestHost;

namespace Delivery.Clouddriver.Stages.Tests.Stages;

[Collection(StandaloneCollection.Name)]
public sealed class CloneServerGroupTests(StandaloneHost host)
{
    private const string App = "cloned";

    [Fact]
    public async Task Clone_copies_the_source_applies_overrides_and_runs_the_strategy()
    {
        await host.SucceedAsync(App, new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = "cloned-web", ["credentials"] = "local" });
        await host.SucceedAsync(App, StandaloneHost.Deploy(StandaloneHost.HelloCluster(App, "web", "v1", 2, "none", "cloned-web")));

        // The cluster's current group is the source; only env changes; red/black disables the source afterwards.
        var clone = await host.SucceedAsync(App, new JsonObject
        {
            ["type"] = "cloneServerGroup", ["credentials"] = "local", ["cluster"] = "cloned-web", ["target"] = "current_asg_dynamic",
            ["env"] = new JsonObject { ["VERSION"] = "v2" }, ["strategy"] = "redblack",
        });

        var context = StandaloneHost.Stage(clone, "cloneServerGroup")["context"]!;
        Assert.Equal("cloned-web-v000", context["source"]!["asgName"]!.GetValue<string>());
        var groups = await host.ServerGroupsAsync(App);
        var copy = groups.Single(g => g!["name"]!.GetValue<string>() == "cloned-web-v001")!;
        Assert.False(copy["disabled"]!.GetValue<bool>());
        Assert.True(groups.Single(g => g!["name"]!.GetValue<string>() == "cloned-web-v000")!["disabled"]!.GetValue<bool>());
        Assert.Equal(2, copy["capacity"]!["desired"]!.GetValue<int>());
        Assert.Equal("v2", copy["env"]!["VERSION"]!.GetValue<string>());
        Assert.Equal(StandaloneHost.HelloDll, copy["artifact"]!["args"]![0]!.GetValue<string>());
        Assert.Equal(["cloned-web"], copy["loadBalancers"]!.AsArray().Select(b => b!.GetValue<string>()));

        // A clone into another stack with its own capacity.
        await host.SucceedAsync(App, new JsonObject
        {
            ["type"] = "cloneServerGroup", ["credentials"] = "local",
            ["source"] = new JsonObject { ["account"] = "local", ["asgName"] = "cloned-web-v001" },
            ["stack"] = "canary", ["capacity"] = new JsonObject { ["min"] = 1, ["max"] = 1, ["desired"] = 1 },
        });
        var canary = (await host.ServerGroupsAsync(App)).Single(g => g!["cluster"]!.GetValue<string>() == "cloned-canary")!;
        Assert.Equal("cloned-canary-v000", canary["name"]!.GetValue<string>());
        Assert.Equal(1, canary["capacity"]!["desired"]!.GetValue<int>());
        Assert.Equal("v2", canary["env"]!["VERSION"]!.GetValue<string>());
    }

    [Fact]
    public async Task Clone_of_a_missing_source_fails_with_a_clear_message()
    {
        var execution = await host.RunStageAsync(App, new JsonObject
        {
            ["type"] = "cloneServerGroup", ["credentials"] = "local", ["source"] = new JsonObject { ["asgName"] = "cloned-nothing-v004" },
        });

        Assert.Equal("TERMINAL", execution["status"]!.GetValue<string>());
        Assert.Contains("cloned-nothing-v004", StandaloneHost.Errors(execution));
    }
}
