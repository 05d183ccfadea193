using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Tests.TestHost;

namespace Delivery.Clouddriver.Kubernetes.Tests.Stages;

/// <summary>A Deployment behind a Service through the engine: deploy, rolling update, pause, resume, undo.</summary>
[Collection(KubernetesCollection.Name)]
public sealed class RollingUpdateTests(KubernetesHost host)
{
    private const string App = "shop";

    [Fact]
    public async Task Deploy_then_rolling_update_pause_resume_and_undo()
    {
        var deployed = await host.SucceedAsync(App, Deploy("nginx:1.0"));
        Assert.Equal(["deployment shop-web", "service shop-web"], deployed["deployedManifests"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        var live = Live("deployment shop-web");
        Assert.Equal(3, (await live)["manifest"]!["status"]!["readyReplicas"]!.GetValue<int>());
        var annotations = (await live)["manifest"]!["metadata"]!["annotations"]!;
        Assert.Equal(App, annotations["moniker.spinnaker.io/application"]!.GetValue<string>());
        Assert.Equal("deployment shop-web", annotations["moniker.spinnaker.io/cluster"]!.GetValue<string>());
        Assert.Equal("spinnaker", (await live)["manifest"]!["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());

        await host.SucceedAsync(App, Deploy("nginx:2.0"));
        Assert.Equal(["nginx:2.0"], await PodImagesAsync());

        var paused = await host.SucceedAsync(App, Operation("pauseRolloutManifest"));
        Assert.True(paused["status"]!["paused"]!.GetValue<bool>());
        Assert.Equal("Deployment is paused", paused["status"]!["reason"]!.GetValue<string>());
        // A deploy into a paused Deployment ends at once: the rollout does not move until resumed.
        await host.SucceedAsync(App, Deploy("nginx:3.0"));
        Assert.Equal("Deployment is paused", (await Live("deployment shop-web"))["status"]!["reason"]!.GetValue<string>());
        Assert.Equal(["nginx:2.0"], await PodImagesAsync());

        var resumed = await host.SucceedAsync(App, Operation("resumeRolloutManifest"));
        Assert.True(resumed["status"]!["stable"]!.GetValue<bool>());
        Assert.Equal(["nginx:3.0"], await PodImagesAsync());

        await host.SucceedAsync(App, Operation("undoRolloutManifest", o => o["numRevisionsBack"] = 1));
        Assert.Equal(["nginx:2.0"], await PodImagesAsync());
        Assert.Equal("nginx:2.0", (await Live("deployment shop-web"))["manifest"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());

        var scaled = await host.SucceedAsync(App, Operation("scaleManifest", o => o["replicas"] = 1));
        Assert.Equal(1, scaled["manifest"]!["spec"]!["replicas"]!.GetValue<int>());
        var pods = host.Cluster.Types.Find("", "v1", "pods")!;
        await KubernetesHost.EventuallyAsync(() => Task.FromResult(host.Cluster.Store.List(pods, "default", p => p["metadata"]?["labels"]?["app"]?.GetValue<string>() == "shop-web").Items.Count),
            n => n == 1, TimeSpan.FromSeconds(2), "scaling down to one pod");
    }

    [Fact]
    public async Task A_rollout_that_misses_its_progress_deadline_fails_the_stage_and_the_previous_pods_keep_serving()
    {
        host.Cluster.FailImage("nginx:broken");
        await host.SucceedAsync(App, Deploy("nginx:1.0", name: "shop-api"));
        var failed = await host.RunStageAsync(App, Deploy("nginx:broken", name: "shop-api", progressDeadlineSeconds: 1));
        Assert.Equal("TERMINAL", failed["status"]!.GetValue<string>());
        Assert.Contains("exceeded its progress deadline", KubernetesHost.Error(failed));
        var pods = (await host.GetAsync($"/applications/{App}/serverGroups")).AsArray()
            .Where(g => g!["cluster"]!.GetValue<string>() == "deployment shop-api").SelectMany(g => g!["instances"]!.AsArray())
            .Where(i => i!["health"]!.GetValue<string>() == "Up").ToList();
        Assert.Equal(3, pods.Count);
    }

    private async Task<JsonNode> Live(string name) => await host.GetAsync($"/manifests/k8s/default/{Uri.EscapeDataString(name)}");

    /// <summary>The distinct images of the cluster's pods, read from the test server.</summary>
    private Task<List<string>> PodImagesAsync(string name = "shop-web")
    {
        var pods = host.Cluster.Types.Find("", "v1", "pods")!;
        return Task.FromResult(host.Cluster.Store.List(pods, "default", p => p["metadata"]?["labels"]?["app"]?.GetValue<string>() == name).Items
            .Select(p => p["spec"]!["containers"]![0]!["image"]!.GetValue<string>()).Distinct().ToList());
    }

    private static JsonObject Operation(string type, Action<JsonObject>? change = null)
    {
        var stage = new JsonObject { ["type"] = type, ["account"] = "k8s", ["location"] = "default", ["manifestName"] = "deployment shop-web" };
        change?.Invoke(stage);
        return stage;
    }

    private static JsonObject Deploy(string image, string name = "shop-web", int progressDeadlineSeconds = 30) => new()
    {
        ["type"] = "deployManifest",
        ["account"] = "k8s",
        ["source"] = "text",
        ["moniker"] = new JsonObject { ["app"] = App },
        ["manifests"] = new JsonArray(
            $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{name}}
            spec:
              replicas: 3
              progressDeadlineSeconds: {{progressDeadlineSeconds}}
              selector:
                matchLabels:
                  app: {{name}}
              template:
                metadata:
                  labels:
                    app: {{name}}
                spec:
                  containers:
                  - name: web
                    image: {{image}}
            """,
            new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Service",
                ["metadata"] = new JsonObject { ["name"] = name },
                ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["app"] = name }, ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
            }),
    };
}
