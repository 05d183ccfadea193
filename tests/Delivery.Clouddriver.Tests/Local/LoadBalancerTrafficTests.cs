using System.Text.Json.Nodes;
using Delivery.Clouddriver.Tests.TestHost;

namespace Delivery.Clouddriver.Tests.Local;

/// <summary>Real hello processes behind a real YARP listener: versions switch with enable/disable and weights, with no failed request.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class LoadBalancerTrafficTests(HostFixture fixture)
{
    private readonly ClouddriverHost _host = fixture.Host;

    [Fact]
    public async Task Switching_versions_moves_all_traffic_without_a_failed_request_and_destroy_stops_the_processes()
    {
        var balancer = await _host.OkAsync("upsertLoadBalancer", Ops.LoadBalancer("hellosw-web"));
        var url = balancer["url"]!.GetValue<string>();
        Assert.StartsWith("http://127.0.0.1:", url);

        var v1 = Ops.Name(await _host.OkAsync("createServerGroup", Ops.Hello("hellosw", "web", "v1", 2, "hellosw-web")));
        Assert.Equal("hellosw-web-v000", v1);
        // Success means every instance is Up: the inventory must already say so.
        var group = await _host.ServerGroupAsync("hellosw", v1);
        Assert.Equal(["Up", "Up"], group["instances"]!.AsArray().Select(i => i!["health"]!.GetValue<string>()));
        Assert.Equal("local", group["region"]!.GetValue<string>());
        Assert.Equal("hellosw-web", group["cluster"]!.GetValue<string>());
        Assert.Equal(2, group["capacity"]!["desired"]!.GetValue<int>());

        await using var traffic = new TrafficProbe(url);
        await traffic.PassAsync(20);
        Assert.Equal(["v1"], traffic.Versions.Keys);

        var v2 = Ops.Name(await _host.OkAsync("createServerGroup", Ops.Hello("hellosw", "web", "v2", 2, "hellosw-web")));
        Assert.Equal("hellosw-web-v001", v2);
        await _host.OkAsync("disableServerGroup", Ops.ServerGroup(v1));
        traffic.ResetVersions();
        await traffic.PassAsync(30);
        Assert.Equal(["v2"], traffic.Versions.Keys);
        var disabled = await _host.ServerGroupAsync("hellosw", v1);
        Assert.True(disabled["disabled"]!.GetValue<bool>());
        Assert.All(disabled["instances"]!.AsArray(), i => Assert.Equal("OutOfService", i!["health"]!.GetValue<string>()));

        // Roll back and forth a few times under load.
        for (var round = 0; round < 3; round++)
        {
            await _host.OkAsync("enableServerGroup", Ops.ServerGroup(v1));
            await _host.OkAsync("disableServerGroup", Ops.ServerGroup(v2));
            traffic.ResetVersions();
            await traffic.PassAsync(10);
            Assert.Equal(["v1"], traffic.Versions.Keys);
            await _host.OkAsync("enableServerGroup", Ops.ServerGroup(v2));
            await _host.OkAsync("disableServerGroup", Ops.ServerGroup(v1));
            traffic.ResetVersions();
            await traffic.PassAsync(10);
            Assert.Equal(["v2"], traffic.Versions.Keys);
        }

        // Both enabled, explicit weights: everything to v1.
        await _host.OkAsync("enableServerGroup", Ops.ServerGroup(v1));
        await _host.OkAsync("upsertLoadBalancer", Ops.LoadBalancer("hellosw-web", new JsonObject { [v1] = 100 }));
        traffic.ResetVersions();
        await traffic.PassAsync(20);
        Assert.Equal(["v1"], traffic.Versions.Keys);
        var view = (await _host.GetArrayAsync("/applications/hellosw/loadBalancers")).Single()!.AsObject();
        Assert.Equal(url, view["url"]!.GetValue<string>());
        var members = view["serverGroups"]!.AsArray().ToDictionary(m => m!["name"]!.GetValue<string>(), m => m!["trafficPercent"]!.GetValue<double>());
        Assert.Equal(100, members[v1]);
        Assert.Equal(0, members[v2]);

        Assert.Empty(traffic.Failures);

        var clusters = JsonNode.Parse(await _host.Http.GetStringAsync("/applications/hellosw/clusters"))!.AsObject();
        Assert.Equal(["hellosw-web"], clusters["local"]!.AsArray().Select(c => c!.GetValue<string>()));

        using var metricsClient = new HttpClient();
        var metrics = await metricsClient.GetStringAsync(url + "/metrics");
        Assert.Contains($"loadbalancer_requests_total{{load_balancer=\"hellosw-web\",server_group=\"{v1}\"}}", metrics);
        Assert.Contains($"loadbalancer_requests_total{{load_balancer=\"hellosw-web\",server_group=\"{v2}\"}}", metrics);
        Assert.Contains("loadbalancer_request_duration_seconds_bucket{", metrics);
        Assert.Contains("loadbalancer_errors_total", metrics);

        var pids = new List<int>();
        foreach (var name in new[] { v1, v2 })
        {
            var instances = (await _host.ServerGroupAsync("hellosw", name))["instances"]!.AsArray();
            pids.AddRange(instances.Select(i => i!["pid"]!.GetValue<int>()));
            await _host.OkAsync("destroyServerGroup", Ops.ServerGroup(name));
        }
        Assert.All(pids, pid => Assert.True(Ops.ProcessGone(pid), $"process {pid} still runs after destroy"));
        Assert.Empty(await _host.GetArrayAsync("/applications/hellosw/serverGroups"));
        Assert.Empty(Directory.EnumerateFiles(_host.StateDirectory, "local__hellosw*"));
        await _host.OkAsync("deleteLoadBalancer", Ops.LoadBalancer("hellosw-web"));
    }
}
