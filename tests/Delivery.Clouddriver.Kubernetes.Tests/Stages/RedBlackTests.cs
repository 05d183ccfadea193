using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Tests.TestHost;

namespace Delivery.Clouddriver.Kubernetes.Tests.Stages;

/// <summary>Versioned ReplicaSets behind a Service: red/black through traffic management, then a rollback by enable/disable.</summary>
[Collection(KubernetesCollection.Name)]
public sealed class RedBlackTests(KubernetesHost host)
{
    private const string App = "cart";

    [Fact]
    public async Task Red_black_moves_traffic_to_the_new_version_keeps_the_old_disabled_and_a_rollback_restores_it()
    {
        var first = await host.SucceedAsync(App, Deploy("v1"));
        Assert.Contains("replicaSet cart-v000", first["deployedManifests"]!.AsArray().Select(n => n!.GetValue<string>()));
        var second = await host.SucceedAsync(App, Deploy("v2"));
        Assert.Contains("replicaSet cart-v001", second["deployedManifests"]!.AsArray().Select(n => n!.GetValue<string>()));

        // The Service's endpoints are v001's pods only; v000 is kept, disabled.
        await TrafficAsync(v000: 0, v001: 100);
        Assert.Equal(["v2"], ServedVersions());
        var groups = (await host.GetAsync($"/applications/{App}/serverGroups")).AsArray();
        var v000 = groups.Single(g => g!["name"]!.GetValue<string>() == "replicaSet cart-v000")!;
        Assert.True(v000["disabled"]!.GetValue<bool>());
        Assert.Equal(2, v000["instances"]!.AsArray().Count);
        Assert.Equal(0, v000["moniker"]!["sequence"]!.GetValue<int>());
        Assert.False(groups.Single(g => g!["name"]!.GetValue<string>() == "replicaSet cart-v001")!["disabled"]!.GetValue<bool>());

        // Rollback: re-enable the previous version, then disable the current one.
        await host.SucceedAsync(App, Traffic("enableManifest", "replicaSet cart-v000"));
        await host.SucceedAsync(App, Traffic("disableManifest", "replicaSet cart-v001"));
        await TrafficAsync(v000: 100, v001: 0);
        Assert.Equal(["v1"], ServedVersions());
    }

    /// <summary>The read API shows the split within one second of the change.</summary>
    private Task TrafficAsync(double v000, double v001) => KubernetesHost.EventuallyAsync(
        async () => (await host.GetAsync($"/applications/{App}/loadBalancers")).AsArray().Single(b => b!["name"]!.GetValue<string>() == "service cart")!["serverGroups"]!.AsArray(),
        groups => Percent(groups, "replicaSet cart-v000") == v000 && Percent(groups, "replicaSet cart-v001") == v001,
        TimeSpan.FromSeconds(1), $"traffic v000 {v000}% / v001 {v001}%");

    private static double Percent(JsonArray groups, string name) =>
        groups.FirstOrDefault(g => g!["name"]!.GetValue<string>() == name)?["trafficPercent"]?.GetValue<double>() ?? 0;

    /// <summary>The VERSION env of the pods the Service selects (its endpoints), from the test server.</summary>
    private List<string> ServedVersions()
    {
        var pods = host.Cluster.Types.Find("", "v1", "pods")!;
        return [.. host.Cluster.Store.List(pods, "default", p => p["metadata"]?["labels"]?["lb"]?.GetValue<string>() == "cart").Items
            .Select(p => p["spec"]!["containers"]![0]!["env"]![0]!["value"]!.GetValue<string>()).Distinct()];
    }

    private static JsonObject Traffic(string type, string name) =>
        new() { ["type"] = type, ["account"] = "k8s", ["location"] = "default", ["manifestName"] = name };

    private static JsonObject Deploy(string version) => new()
    {
        ["type"] = "deployManifest",
        ["account"] = "k8s",
        ["moniker"] = new JsonObject { ["app"] = App, ["cluster"] = "replicaSet cart" },
        ["trafficManagement"] = new JsonObject
        {
            ["enabled"] = true,
            ["options"] = new JsonObject { ["enableTraffic"] = true, ["services"] = new JsonArray("service cart"), ["strategy"] = "redblack" },
        },
        ["manifests"] = new JsonArray(
            new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Service", ["metadata"] = new JsonObject { ["name"] = "cart" },
                ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["lb"] = "cart" }, ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
            },
            $$"""
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: cart
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: cart
              template:
                metadata:
                  labels:
                    app: cart
                spec:
                  containers:
                  - name: cart
                    image: cart:latest
                    env:
                    - name: VERSION
                      value: "{{version}}"
            """),
    };
}
