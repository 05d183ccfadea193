using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Tests.TestHost;

namespace Delivery.Clouddriver.Kubernetes.Tests.Stages;

/// <summary>
/// Spinnaker's manifest semantics through the stages: artifact annotations and findArtifactsFromResource, the recreate,
/// replace and use-source-capacity strategies, deleteManifest by label selector and by dynamic target, and the live reason
/// a waiting stage shows.
/// </summary>
[Collection(KubernetesCollection.Name)]
public sealed class ManifestSemanticsTests(KubernetesHost host)
{
    private const string App = "sem";

    [Fact]
    public async Task Deployed_objects_carry_their_artifact_and_find_artifacts_lists_the_image_and_config_they_use()
    {
        var deployed = await host.SucceedAsync(App, Deploy(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: arts-config}\ndata: {a: \"1\"}\n",
            Workload("arts", "registry.local:5000/arts:1.2", "envFrom: [{configMapRef: {name: arts-config}}]")));
        var created = deployed["createdArtifacts"]!.AsArray();
        Assert.Contains(created, a => a!["type"]!.GetValue<string>() == "kubernetes/configMap" && a["version"]!.GetValue<string>() == "v000" && a["reference"]!.GetValue<string>() == "arts-config-v000");

        var read = await host.GetAsync("/manifests/k8s/default/deployment%20arts");
        Assert.Contains(read["artifacts"]!.AsArray(), a => a!["reference"]!.GetValue<string>() == "registry.local:5000/arts:1.2");
        var live = read["manifest"]!;
        foreach (var annotations in new[] { live["metadata"]!["annotations"]!, live["spec"]!["template"]!["metadata"]!["annotations"]! })
        {
            Assert.Equal("kubernetes/deployment", annotations["artifact.spinnaker.io/type"]!.GetValue<string>());
            Assert.Equal("arts", annotations["artifact.spinnaker.io/name"]!.GetValue<string>());
            Assert.Equal("default", annotations["artifact.spinnaker.io/location"]!.GetValue<string>());
            Assert.Equal("", annotations["artifact.spinnaker.io/version"]!.GetValue<string>());
        }

        var found = await host.SucceedAsync(App, new JsonObject
        {
            ["type"] = "findArtifactsFromResource", ["account"] = "k8s", ["location"] = "default", ["manifestName"] = "deployment arts",
        });
        var artifacts = found["artifacts"]!.AsArray();
        Assert.Contains(artifacts, a => a!["type"]!.GetValue<string>() == "docker/image" && a["name"]!.GetValue<string>() == "registry.local:5000/arts" && a["reference"]!.GetValue<string>() == "registry.local:5000/arts:1.2");
        Assert.Contains(artifacts, a => a!["type"]!.GetValue<string>() == "kubernetes/configMap" && a["name"]!.GetValue<string>() == "arts-config" && a["reference"]!.GetValue<string>() == "arts-config-v000");
        Assert.Equal("arts", found["manifest"]!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Use_source_capacity_keeps_the_live_replicas_and_recreate_makes_a_new_object_and_replace_keeps_it()
    {
        await host.SucceedAsync(App, Deploy(Workload("cap", "cap:1", replicas: 2, annotations: "strategy.spinnaker.io/use-source-capacity: \"true\"")));
        await host.SucceedAsync(App, new JsonObject { ["type"] = "scaleManifest", ["account"] = "k8s", ["location"] = "default", ["manifestName"] = "deployment cap", ["replicas"] = 4 });
        await host.SucceedAsync(App, Deploy(Workload("cap", "cap:2", replicas: 2, annotations: "strategy.spinnaker.io/use-source-capacity: \"true\"")));
        Assert.Equal("4", Live("deployments", "cap")!["spec"]!["replicas"]!.ToJsonString());

        await host.SucceedAsync(App, Deploy(Workload("rec", "rec:1", annotations: "strategy.spinnaker.io/recreate: \"true\"")));
        var before = Live("deployments", "rec")!["metadata"]!["uid"]!.GetValue<string>();
        await host.SucceedAsync(App, Deploy(Workload("rec", "rec:2", annotations: "strategy.spinnaker.io/recreate: \"true\"")));
        var after = Live("deployments", "rec")!;
        Assert.NotEqual(before, after["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal("rec:2", after["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());

        const string Replaced = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rep\n  annotations: {strategy.spinnaker.io/replace: \"true\", strategy.spinnaker.io/versioned: \"false\"}\n";
        await host.SucceedAsync(App, Deploy(Replaced + "data: {a: \"1\"}\n"));
        var first = Live("configmaps", "rep")!["metadata"]!["uid"]!.GetValue<string>();
        await host.SucceedAsync(App, Deploy(Replaced + "data: {b: \"2\"}\n"));
        var replaced = Live("configmaps", "rep")!;
        Assert.Equal(first, replaced["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal("{\"b\":\"2\"}", replaced["data"]!.ToJsonString());
        Assert.Contains(replaced["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.GetValue<string>() == "delivery" && m["operation"]!.GetValue<string>() == "Update");
    }

    [Fact]
    public async Task Delete_manifest_by_label_selector_and_by_dynamic_target()
    {
        static string Config(string name, string team) =>
            $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels: {{team: {team}}}\n  annotations: {{strategy.spinnaker.io/versioned: \"false\"}}\ndata: {{a: \"1\"}}\n";
        await host.SucceedAsync(App, Deploy(Config("lab-a", "x"), Config("lab-b", "x"), Config("lab-c", "y")));
        var deleted = await host.SucceedAsync(App, new JsonObject
        {
            ["type"] = "deleteManifest", ["account"] = "k8s", ["location"] = "default", ["mode"] = "label", ["kinds"] = new JsonArray("configMap"),
            ["labelSelectors"] = new JsonObject { ["selectors"] = new JsonArray(new JsonObject { ["kind"] = "EQUALS", ["key"] = "team", ["values"] = new JsonArray("x") }) },
        });
        Assert.Equal(["configMap lab-a", "configMap lab-b"], deleted["deleted"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.Null(Live("configmaps", "lab-a"));
        Assert.NotNull(Live("configmaps", "lab-c"));

        const string ReplicaSet = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: dyn}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: dyn}}\n  template:\n    metadata: {labels: {app: dyn}}\n    spec: {containers: [{name: dyn, image: dyn:1}]}\n";
        await host.SucceedAsync(App, Deploy(ReplicaSet));
        await host.SucceedAsync(App, Deploy(ReplicaSet));
        var scaled = await host.SucceedAsync(App, new JsonObject
        {
            ["type"] = "scaleManifest", ["account"] = "k8s", ["location"] = "default", ["mode"] = "dynamic", ["cluster"] = "replicaSet dyn", ["criteria"] = "newest", ["replicas"] = 2,
        });
        Assert.Equal("replicaSet dyn-v001", scaled["manifestName"]!.GetValue<string>());
        await host.SucceedAsync(App, new JsonObject
        {
            ["type"] = "deleteManifest", ["account"] = "k8s", ["location"] = "default", ["mode"] = "dynamic", ["cluster"] = "replicaSet dyn", ["criteria"] = "oldest",
        });
        Assert.Null(Live("replicasets", "dyn-v000"));
        Assert.Equal(2, Live("replicasets", "dyn-v001")!["spec"]!["replicas"]!.GetValue<int>());

        var missing = await host.RunStageAsync(App, new JsonObject
        {
            ["type"] = "deleteManifest", ["account"] = "k8s", ["location"] = "default", ["mode"] = "dynamic", ["cluster"] = "replicaSet nothing", ["criteria"] = "newest",
        });
        Assert.Equal("TERMINAL", missing["status"]!.GetValue<string>());
        Assert.Contains("Cluster 'replicaSet nothing' has no newest replicaSet", KubernetesHost.Error(missing));
    }

    [Fact]
    public async Task A_waiting_stage_shows_the_live_reason_until_the_rollout_fails_its_deadline()
    {
        host.Cluster.FailImage("slow:1");
        var reasons = new HashSet<string>();
        var failed = await host.RunStageAsync(App, Deploy(Workload("slow", "slow:1", replicas: 2, progressDeadlineSeconds: 3)), e =>
        {
            if (e["stages"]![0]!["context"]?["waitingFor"]?.GetValue<string>() is { } reason)
            {
                reasons.Add(reason);
            }
        });
        Assert.Equal("TERMINAL", failed["status"]!.GetValue<string>());
        Assert.Contains(reasons, r => r.StartsWith("deployment slow: Waiting for all replicas to be", StringComparison.Ordinal));
        Assert.Null(failed["stages"]![0]!["context"]!["waitingFor"]);
    }

    private JsonObject? Live(string plural, string name) =>
        host.Cluster.Store.Get(host.Cluster.Types.All.First(t => t.Plural == plural), "default", name);

    private static JsonObject Deploy(params string[] manifests) => new()
    {
        ["type"] = "deployManifest", ["account"] = "k8s", ["moniker"] = new JsonObject { ["app"] = App },
        ["manifests"] = new JsonArray([.. manifests.Select(m => (JsonNode)m)]),
    };

    private static string Workload(string name, string image, string? containerExtra = null, int replicas = 1, string? annotations = null, int progressDeadlineSeconds = 30) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
          annotations: {{"{" + annotations + "}"}}
        spec:
          replicas: {{replicas}}
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
              - name: main
                image: {{image}}
                {{containerExtra}}
        """;
}
