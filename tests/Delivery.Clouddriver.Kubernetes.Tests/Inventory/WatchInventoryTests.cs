using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Inventory;
using Delivery.Clouddriver.Kubernetes.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Clouddriver.Kubernetes.Tests.Inventory;

/// <summary>
/// The read API from the watch-based inventory: a change arrives through the watch, and nothing is lost by a relist after 410.
/// How fast it arrives is a benchmark figure (<c>inventory_freshness_ms.kubernetes</c>, bench/run --only k8s-inventory), not
/// asserted here.
/// </summary>
[Collection(KubernetesCollection.Name)]
public sealed class WatchInventoryTests(KubernetesHost host)
{
    private const string App = "inv";

    [Fact]
    public async Task A_pod_that_turns_not_ready_shows_through_the_watch_and_a_relist_after_410_loses_nothing()
    {
        await host.SucceedAsync(App, new JsonObject
        {
            ["type"] = "deployManifest", ["account"] = "k8s", ["moniker"] = new JsonObject { ["app"] = App },
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = "inv" },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = 2,
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "inv" } },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "inv" } },
                        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "inv", ["image"] = "inv:1" }) },
                    },
                },
            }),
        });
        var pods = host.Cluster.Types.Find("", "v1", "pods")!;
        var names = host.Cluster.Store.List(pods, "default", p => p["metadata"]?["labels"]?["app"]?.GetValue<string>() == "inv").Items
            .Select(p => p["metadata"]!["name"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(2, names.Count);
        await HealthAsync(names[0], "Up");

        // The inventory has no periodic relist: it lists again only after a watch ends in 410 (counted, so asserted unchanged)
        // or fails (then after a 1 s pause). The 5 s bound only keeps a broken watch from hanging the test; how fast the change
        // arrives is bench's figure.
        var inventory = host.Services.GetRequiredService<KubernetesInventory>();
        var relists = inventory.Relists;
        SetReady(pods, names[0], false);
        await HealthAsync(names[0], "Down");
        Assert.Equal(relists, inventory.Relists);

        // The watches expire; what changes before they resume must still arrive, through the relist.
        host.Cluster.ExpireWatches();
        SetReady(pods, names[0], true);
        SetReady(pods, names[1], false);
        await HealthAsync(names[0], "Up");
        await HealthAsync(names[1], "Down");
        Assert.True(inventory.Relists > relists);
    }

    private void SetReady(Delivery.KubernetesTestServer.Storage.ResourceType pods, string name, bool ready) =>
        host.Cluster.Store.Write(pods, "default", name, pod =>
        {
            foreach (var condition in pod!["status"]!["conditions"]!.AsArray().OfType<JsonObject>().Where(c => c["type"]!.GetValue<string>() is "Ready" or "ContainersReady"))
            {
                condition["status"] = ready ? "True" : "False";
            }
            return pod;
        });

    private Task HealthAsync(string pod, string health) => KubernetesHost.EventuallyAsync(
        async () => (await host.GetAsync($"/applications/{App}/serverGroups")).AsArray().SelectMany(g => g!["instances"]!.AsArray())
            .FirstOrDefault(i => i!["id"]!.GetValue<string>() == pod)?["health"]?.GetValue<string>(),
        h => h == health, TimeSpan.FromSeconds(5), $"pod {pod} showing {health}");
}
