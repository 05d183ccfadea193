using System.Diagnostics;
using System.Text.Json.Nodes;
using Delivery.Clouddriver.Tests.TestHost;

namespace Delivery.Clouddriver.Tests.Local;

/// <summary>An instance process dies: clients see nothing, the inventory shows it Down at once, a replacement comes Up.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class InstanceFailureTests(HostFixture fixture)
{
    private readonly ClouddriverHost _host = fixture.Host;

    [Fact]
    public async Task A_killed_instance_is_shown_Down_within_a_second_costs_no_request_and_is_replaced()
    {
        var url = (await _host.OkAsync("upsertLoadBalancer", Ops.LoadBalancer("hellokill")))["url"]!.GetValue<string>();
        var name = Ops.Name(await _host.OkAsync("createServerGroup", Ops.Hello("hellokill", null, "v1", 2, "hellokill")));
        Assert.Equal("hellokill-v000", name);
        var before = (await _host.ServerGroupAsync("hellokill", name))["instances"]!.AsArray();
        var victim = before[0]!.AsObject();
        var victimId = victim["id"]!.GetValue<string>();

        var console = JsonNode.Parse(await _host.Http.GetStringAsync($"/instances/local/{victimId}/console"))!;
        Assert.Contains("Now listening on: http://127.0.0.1:" + victim["port"], console["output"]![0]!["output"]!.GetValue<string>());

        await using var traffic = new TrafficProbe(url);
        await traffic.PassAsync(10);
        var watch = Stopwatch.StartNew();
        using (var process = Process.GetProcessById(victim["pid"]!.GetValue<int>()))
        {
            process.Kill();
        }
        async Task<string?> VictimHealth() =>
            (await _host.ServerGroupAsync("hellokill", name))["instances"]!.AsArray().FirstOrDefault(i => i!["id"]!.GetValue<string>() == victimId)?["health"]?.GetValue<string>();
        Assert.True(await Ops.EventuallyAsync(async () => await VictimHealth() == "Down", TimeSpan.FromSeconds(1), pollMs: 10),
            $"instance {victimId} was not shown Down within 1 s (health: {await VictimHealth()})");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5));
        await traffic.PassAsync(30);

        Assert.True(await Ops.EventuallyAsync(async () =>
        {
            var instances = (await _host.ServerGroupAsync("hellokill", name))["instances"]!.AsArray();
            return instances.Count == 2 && instances.All(i => i!["health"]!.GetValue<string>() == "Up") && instances.All(i => i!["id"]!.GetValue<string>() != victimId);
        }, TimeSpan.FromSeconds(30)), "no replacement came Up");
        await traffic.PassAsync(10);
        Assert.Empty(traffic.Failures);

        // Resize up and down: success means exactly that many instances run, all Up.
        async Task<List<JsonObject>> Instances() => [.. (await _host.ServerGroupAsync("hellokill", name))["instances"]!.AsArray().Select(i => i!.AsObject())];
        await _host.OkAsync("resizeServerGroup", new JsonObject { ["account"] = "local", ["serverGroupName"] = name, ["capacity"] = new JsonObject { ["min"] = 1, ["max"] = 3, ["desired"] = 3 } });
        Assert.Equal(["Up", "Up", "Up"], (await Instances()).Select(i => i["health"]!.GetValue<string>()));
        var three = (await Instances()).Select(i => i["pid"]!.GetValue<int>()).ToList();
        await _host.OkAsync("resizeServerGroup", new JsonObject { ["account"] = "local", ["serverGroupName"] = name, ["capacity"] = new JsonObject { ["min"] = 1, ["max"] = 3, ["desired"] = 2 } });
        var two = await Instances();
        Assert.Equal(2, two.Count);
        Assert.Single(three, Ops.ProcessGone);

        // Terminating an instance: gone when the operation succeeds, then replaced to keep capacity; the other one serves meanwhile.
        var victim2 = two[0];
        var terminated = await _host.OkAsync("terminateInstances", new JsonObject { ["account"] = "local", ["instanceIds"] = new JsonArray(victim2["id"]!.GetValue<string>()) });
        Assert.Equal(victim2["id"]!.GetValue<string>(), terminated["terminatedInstanceIds"]![0]!.GetValue<string>());
        Assert.True(Ops.ProcessGone(victim2["pid"]!.GetValue<int>()));
        Assert.True(await Ops.EventuallyAsync(async () => await Instances() is { Count: 2 } now
                && now.All(i => i["health"]!.GetValue<string>() == "Up" && i["id"]!.GetValue<string>() != victim2["id"]!.GetValue<string>()),
            TimeSpan.FromSeconds(30)), "the terminated instance was not replaced");
        await traffic.PassAsync(10);
        Assert.Empty(traffic.Failures);

        await _host.OkAsync("destroyServerGroup", Ops.ServerGroup(name));
        await _host.OkAsync("deleteLoadBalancer", Ops.LoadBalancer("hellokill"));
    }
}
