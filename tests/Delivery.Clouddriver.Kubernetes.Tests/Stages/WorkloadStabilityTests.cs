using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Tests.TestHost;

namespace Delivery.Clouddriver.Kubernetes.Tests.Stages;

/// <summary>
/// StatefulSets, DaemonSets and Jobs deployed through the engine: the test server's simulated controllers report the status
/// fields of the API reference, and the deploy stage waits on them as Clouddriver's handlers judge them.
/// </summary>
[Collection(KubernetesCollection.Name)]
public sealed class WorkloadStabilityTests(KubernetesHost host)
{
    private const string App = "work";

    [Fact]
    public async Task A_stateful_set_rolls_out_in_order_and_an_image_change_reaches_every_pod()
    {
        await host.SucceedAsync(App, Deploy(StatefulSet("db:1")));
        var status = Live("statefulsets", "db")!["status"]!;
        Assert.Equal(3, status["readyReplicas"]!.GetValue<int>());
        Assert.Equal(status["updateRevision"]!.GetValue<string>(), status["currentRevision"]!.GetValue<string>());
        Assert.Equal(["db-0", "db-1", "db-2"], Pods("db").Select(p => p["metadata"]!["name"]!.GetValue<string>()).Order());

        await host.SucceedAsync(App, Deploy(StatefulSet("db:2")));
        var updated = Live("statefulsets", "db")!["status"]!;
        Assert.NotEqual(status["updateRevision"]!.GetValue<string>(), updated["updateRevision"]!.GetValue<string>());
        Assert.Equal(3, updated["updatedReplicas"]!.GetValue<int>());
        Assert.All(Pods("db"), p => Assert.Equal("db:2", p["spec"]!["containers"]![0]!["image"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_daemon_set_runs_one_pod_per_node_and_is_stable_when_all_are_ready()
    {
        await host.SucceedAsync(App, Deploy(Workload("DaemonSet", "agent", "agent:1", "")));
        var status = Live("daemonsets", "agent")!["status"]!;
        Assert.Equal(2, status["desiredNumberScheduled"]!.GetValue<int>());
        Assert.Equal(2, status["numberReady"]!.GetValue<int>());
        Assert.Equal(["node-0", "node-1"], Pods("agent").Select(p => p["spec"]!["nodeName"]!.GetValue<string>()).Order());

        await host.SucceedAsync(App, Deploy(Workload("DaemonSet", "agent", "agent:2", "")));
        Assert.All(Pods("agent"), p => Assert.Equal("agent:2", p["spec"]!["containers"]![0]!["image"]!.GetValue<string>()));
        Assert.Equal(2, Live("daemonsets", "agent")!["status"]!["updatedNumberScheduled"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_job_is_stable_once_complete_and_a_job_past_its_backoff_limit_fails_the_stage()
    {
        await host.SucceedAsync(App, Deploy(Workload("Job", "migrate", "migrate:1", "completions: 2\n  parallelism: 1\n")));
        var status = Live("jobs", "migrate")!["status"]!;
        Assert.Equal(2, status["succeeded"]!.GetValue<int>());
        Assert.Contains(status["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "Complete" && c["status"]!.GetValue<string>() == "True");

        host.Cluster.FailImage("migrate:bad");
        var failed = await host.RunStageAsync(App, Deploy(Workload("Job", "migrate-bad", "migrate:bad", "backoffLimit: 1\n")));
        Assert.Equal("TERMINAL", failed["status"]!.GetValue<string>());
        Assert.Contains("Job failed: Job has reached the specified backoff limit", KubernetesHost.Error(failed));
        Assert.Equal(2, Live("jobs", "migrate-bad")!["status"]!["failed"]!.GetValue<int>());
    }

    private JsonObject? Live(string plural, string name) =>
        host.Cluster.Store.Get(host.Cluster.Types.All.First(t => t.Plural == plural), "default", name);

    private List<JsonObject> Pods(string app) =>
        host.Cluster.Store.List(host.Cluster.Types.Find("", "v1", "pods")!, "default", p => p["metadata"]?["labels"]?["app"]?.GetValue<string>() == app).Items;

    private static JsonObject Deploy(string manifest) => new()
    {
        ["type"] = "deployManifest", ["account"] = "k8s", ["moniker"] = new JsonObject { ["app"] = App }, ["manifests"] = new JsonArray(manifest),
    };

    private static string StatefulSet(string image) => Workload("StatefulSet", "db", image, "replicas: 3\n  serviceName: db\n");

    /// <summary>A workload of <paramref name="kind"/> (Jobs in batch/v1, never restarting their pods).</summary>
    private static string Workload(string kind, string name, string image, string spec) => $$"""
        apiVersion: {{(kind == "Job" ? "batch/v1" : "apps/v1")}}
        kind: {{kind}}
        metadata:
          name: {{name}}
        spec:
          {{spec}}
          {{(kind == "Job" ? "" : "selector: {matchLabels: {app: " + name + "}}")}}
          template:
            metadata:
              labels:
                app: {{name}}
            spec:
              restartPolicy: {{(kind == "Job" ? "Never" : "Always")}}
              containers:
              - name: main
                image: {{image}}
        """;
}
