using System.Text.Json.Nodes;
using Delivery.Clouddriver.Stages.Tests.TestHost;

namespace Delivery.Clouddriver.Stages.Tests.Stages;

[Collection(StandaloneCollection.Name)]
public sealed class BadInputTests(StandaloneHost host)
{
    private const string App = "bad";

    [Fact]
    public async Task Bad_input_fails_the_stage_with_a_clear_message_and_leaves_running_server_groups_untouched()
    {
        var balancer = await host.SucceedAsync(App, new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = "bad-web", ["credentials"] = "local" });
        var url = StandaloneHost.Stage(balancer, "upsertLoadBalancer")["outputs"]!["url"]!.GetValue<string>();
        await host.SucceedAsync(App, StandaloneHost.Deploy(StandaloneHost.HelloCluster(App, "web", "v1", 1, "highlander", "bad-web")));
        var before = Running(await host.ServerGroupsAsync(App));

        JsonObject Cluster(Action<JsonObject> change)
        {
            var cluster = StandaloneHost.HelloCluster(App, "web", "v2", 1, "highlander", "bad-web");
            change(cluster);
            return StandaloneHost.Deploy(cluster);
        }
        var cases = new (JsonObject Stage, string Error)[]
        {
            (Cluster(c => c["account"] = "nowhere"), "Unknown account 'nowhere'"),
            (Cluster(c => c["capacity"] = new JsonObject { ["min"] = 3, ["max"] = 1, ["desired"] = 1 }), "capacity.min (3) is greater than capacity.max (1)"),
            (Cluster(c => c["stack"] = "bad-stack"), "stack 'bad-stack'"),
            (Cluster(c => c["artifact"] = new JsonObject { ["command"] = "/bin/sh", ["args"] = new JsonArray("-c", "echo cannot start >&2; exit 3") }), "exited with code 3"),
            (Cluster(c => c["loadBalancers"] = new JsonArray("bad-nowhere")), "Load balancer 'bad-nowhere' does not exist"),
            (Cluster(c => c["strategy"] = "bluegreen"), "Unknown strategy 'bluegreen'"),
            (StandaloneHost.Deploy(), "deploy needs clusters"),
        };
        // Stages that look the cluster up run after the failing deploys: a create that is failing is in the inventory for a moment.
        var targets = new (JsonObject Stage, string Error)[]
        {
            (new JsonObject { ["type"] = "disableServerGroup", ["credentials"] = "nowhere", ["cluster"] = "bad-web", ["target"] = "current_asg_dynamic" }, "Unknown account 'nowhere'"),
            (new JsonObject { ["type"] = "destroyServerGroup", ["credentials"] = "local", ["cluster"] = "bad-web", ["target"] = "ancestor_asg_dynamic" }, "no server group for target ancestor_asg_dynamic"),
            (new JsonObject { ["type"] = "rollbackServerGroup", ["credentials"] = "local", ["cluster"] = "bad-web", ["target"] = "current_asg_dynamic" }, "has no older server group"),
            (new JsonObject
            {
                ["type"] = "rollbackServerGroup", ["credentials"] = "local",
                ["rollbackContext"] = new JsonObject { ["rollbackServerGroupName"] = "bad-web-v000", ["restoreServerGroupName"] = "bad-web-v000" },
            }, "cannot be rolled back onto itself"),
        };
        // Independent deploys: run them at once to keep the suite short.
        var executions = (await Task.WhenAll(cases.Select(c => host.RunStageAsync(App, c.Stage)))).ToList();
        foreach (var target in targets)
        {
            executions.Add(await host.RunStageAsync(App, target.Stage));
        }
        var expected = cases.Concat(targets).ToList();
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(executions[i]["status"]!.GetValue<string>() == "TERMINAL", $"Expected '{expected[i].Error}': {executions[i].ToJsonString()}");
            Assert.Contains(expected[i].Error, StandaloneHost.Errors(executions[i]));
        }

        Assert.Equal(before, Running(await host.ServerGroupsAsync(App)));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(url) };
        Assert.Equal("v1", JsonNode.Parse(await http.GetStringAsync("/"))!["version"]!.GetValue<string>());

        await host.SucceedAsync(App, new JsonObject { ["type"] = "destroyServerGroup", ["credentials"] = "local", ["serverGroupName"] = "bad-web-v000" });
        await host.SucceedAsync(App, new JsonObject { ["type"] = "deleteLoadBalancer", ["credentials"] = "local", ["loadBalancerName"] = "bad-web" });
    }

    /// <summary>Each server group's name, disabled flag and instance pids with health: what bad input must leave as it was.</summary>
    private static string Running(JsonArray groups) => string.Join("; ", groups.Select(g =>
        $"{g!["name"]} disabled={g["disabled"]} [{string.Join(",", g["instances"]!.AsArray().Select(i => $"{i!["pid"]}:{i["health"]}"))}]"));
}
