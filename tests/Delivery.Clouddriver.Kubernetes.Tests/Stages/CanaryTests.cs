using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Tests.TestHost;

namespace Delivery.Clouddriver.Kubernetes.Tests.Stages;

/// <summary>
/// Spinnaker's Kubernetes canary as one pipeline: a canary Deployment (1 replica) sharing the Service's selector with the
/// stable one (3 replicas), so it takes a quarter of the traffic; a manual judgment; then promote (the stable Deployment
/// gets the canary's image) or not (stageEnabled on the judgment's input); the canary deleted either way.
/// </summary>
[Collection(KubernetesCollection.Name)]
public sealed class CanaryTests(KubernetesHost host)
{
    [Theory]
    [InlineData("promote", "2.0")]
    [InlineData("rollback", "1.0")]
    public async Task A_canary_shares_the_service_in_proportion_to_replicas_and_is_promoted_or_rolled_back_by_judgment(string judgment, string servedAfter)
    {
        var app = $"pay{judgment[..3]}";
        await host.SucceedAsync(app, Deploy(app, "stable", 3, "1.0"));
        var id = await host.StartAsync(app, new JsonArray(
            Stage("1", Deploy(app, "canary", 1, "2.0"), "Deploy canary"),
            Stage("2", new JsonObject
            {
                ["type"] = "manualJudgment", ["judgmentInputs"] = new JsonArray(new JsonObject { ["value"] = "promote" }, new JsonObject { ["value"] = "rollback" }),
            }, "Judge canary", "1"),
            Stage("3", Deploy(app, "stable", 3, "2.0"), "Promote", "2", new JsonObject { ["type"] = "expression", ["expression"] = "#judgment('Judge canary') == 'promote'" }),
            Stage("4", new JsonObject
            {
                ["type"] = "deleteManifest", ["account"] = "k8s", ["location"] = "default", ["manifestName"] = $"deployment {app}-canary",
                ["options"] = new JsonObject { ["cascading"] = true },
            }, "Delete canary", "3")));

        var judging = await host.WaitAsync(id, until: e => KubernetesHost.Stage(e, "2")["status"]!.GetValue<string>() == "RUNNING");
        // The Service selects the pods of both: 3 stable + 1 canary, so the canary serves 25%.
        var split = await KubernetesHost.EventuallyAsync(
            async () => (await host.GetAsync($"/applications/{app}/loadBalancers")).AsArray().Single(b => b!["name"]!.GetValue<string>() == $"service {app}")!["serverGroups"]!.AsArray(),
            groups => Percent(groups, $"replicaSet {app}-canary-") == 25 && Percent(groups, $"replicaSet {app}-stable-") == 75,
            TimeSpan.FromSeconds(2), "a 25/75 traffic split");
        Assert.Equal(2, split.Count);
        Assert.Equal(["1.0", "1.0", "1.0", "2.0"], ServedVersions(app).Order());

        using (var judged = await host.Http.PatchAsync($"/pipelines/{id}/stages/{KubernetesHost.Stage(judging, "2")["id"]}",
            KubernetesHost.Json(new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = judgment })))
        {
            Assert.True(judged.IsSuccessStatusCode, await judged.Content.ReadAsStringAsync());
        }
        var done = await host.WaitAsync(id);
        Assert.True(done["status"]!.GetValue<string>() == "SUCCEEDED", done.ToJsonString());
        Assert.Equal(judgment == "promote" ? "SUCCEEDED" : "SKIPPED", KubernetesHost.Stage(done, "3")["status"]!.GetValue<string>());
        Assert.Equal([$"deployment {app}-canary"], KubernetesHost.Stage(done, "4")["context"]!["deleted"]!.AsArray().Select(n => n!.GetValue<string>()));

        var deployments = host.Cluster.Types.Find("apps", "v1", "deployments")!;
        Assert.Null(host.Cluster.Store.Get(deployments, "default", $"{app}-canary"));
        var served = await KubernetesHost.EventuallyAsync(() => Task.FromResult(ServedVersions(app)),
            v => v.Count == 3 && v.All(x => x == servedAfter), TimeSpan.FromSeconds(5), $"only the stable pods serving {servedAfter}");
        Assert.Equal(3, served.Count);
    }

    private static double Percent(JsonArray groups, string prefix) =>
        groups.Where(g => g!["name"]!.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal)).Sum(g => g!["trafficPercent"]!.GetValue<double>());

    /// <summary>The image tags of the running pods the Service selects (app label), from the test server.</summary>
    private List<string> ServedVersions(string app)
    {
        var pods = host.Cluster.Types.Find("", "v1", "pods")!;
        return [.. host.Cluster.Store.List(pods, "default", p => p["metadata"]?["labels"]?["app"]?.GetValue<string>() == app && p["metadata"]?["deletionTimestamp"] is null).Items
            .Select(p => p["spec"]!["containers"]![0]!["image"]!.GetValue<string>().Split(':')[1])];
    }

    private static JsonObject Stage(string refId, JsonObject stage, string name, string? after = null, JsonObject? enabled = null)
    {
        stage["refId"] = refId;
        stage["name"] = name;
        if (after is not null)
        {
            stage["requisiteStageRefIds"] = new JsonArray(after);
        }
        if (enabled is not null)
        {
            stage["stageEnabled"] = enabled;
        }
        return stage;
    }

    /// <summary>A Deployment of one track; its pods carry <c>app</c>, the Service's only selector label.</summary>
    private static JsonObject Deploy(string app, string track, int replicas, string version) => new()
    {
        ["type"] = "deployManifest",
        ["account"] = "k8s",
        ["moniker"] = new JsonObject { ["app"] = app },
        ["manifests"] = new JsonArray(
            $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{app}}-{{track}}
            spec:
              replicas: {{replicas}}
              selector:
                matchLabels: {app: {{app}}, track: {{track}}}
              template:
                metadata:
                  labels: {app: {{app}}, track: {{track}}}
                spec:
                  containers:
                  - name: web
                    image: {{app}}:{{version}}
            """,
            $$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: {{app}}
            spec:
              selector: {app: {{app}}}
              ports: [{port: 80}]
            """),
    };
}
