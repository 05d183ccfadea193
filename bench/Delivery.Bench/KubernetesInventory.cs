using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Delivery.KubernetesTestServer;
using Delivery.KubernetesTestServer.Storage;

namespace Delivery.Bench;

/// <summary>
/// Clouddriver's <c>inventory_freshness_ms.kubernetes</c>: a pod's Ready condition flipped in the cluster -> the read API
/// (<c>GET /applications/{app}/serverGroups</c>) shows the instance Down (or Up again). The cluster is
/// <see cref="KubernetesTestServer.KubernetesTestServer"/> in this process; the standalone host runs as its own child
/// process with one Kubernetes account on it, so the change travels the way it would from a real API server: a watch
/// event over HTTP into the provider's watch-based inventory.
/// </summary>
/// <remarks>
/// The scenario starts its own server rather than adding the account to the one the other standalone scenarios share,
/// so that the account's watches do not run under their figures.
/// </remarks>
public sealed class KubernetesInventory(Report report, Func<IReadOnlyDictionary<string, string>, Task<Deployment>> startServer, string directory, bool quick, Action<string> progress)
{
    private const string Application = "benchk8s";
    private const string Account = "k8s";
    private const string Namespace = "default";

    /// <summary>Delay between two reads of the read API while waiting for a change.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    public async Task RunAsync()
    {
        await using var cluster = await KubernetesTestServer.KubernetesTestServer.StartAsync(new KubernetesTestServerOptions
        {
            PodReadyDelay = TimeSpan.FromMilliseconds(100),
            Namespaces = [Namespace, "kube-system"],
        });
        Directory.CreateDirectory(directory);
        var kubeconfig = cluster.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
        // The same configuration keys the Kubernetes tests' host sets, as environment variables (the double underscore is ':').
        await using var server = await startServer(new Dictionary<string, string>
        {
            ["Delivery__Clouddriver__Kubernetes__Accounts__0__Name"] = Account,
            ["Delivery__Clouddriver__Kubernetes__Accounts__0__KubeconfigFile"] = kubeconfig,
            ["Delivery__Clouddriver__Kubernetes__Accounts__0__Namespaces__0"] = Namespace,
            ["Delivery__Clouddriver__Kubernetes__StatusPollMs"] = "50",
        });
        using var api = new DeliveryApi(server.Front.BaseAddress);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = server.Front.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        progress("kubernetes: deploying a 2-replica Deployment through a deployManifest pipeline");
        await api.SavePipelineAsync(Application, "deploy", [DeployManifest()]);
        var id = await api.TriggerAsync(Application, "deploy");
        var (document, _, _) = await api.WaitForCompletionAsync(id, new PollPolicy(10, 10, 1.5, 100), TimeSpan.FromSeconds(120));
        if (ExecutionView.Parse(document).Status != "SUCCEEDED")
        {
            throw new BenchException($"the deployManifest execution {id} did not succeed: {System.Text.Encoding.UTF8.GetString(document)}");
        }

        var pods = cluster.Types.Find("", "v1", "pods")!;
        var pod = cluster.Store.List(pods, Namespace, p => p["metadata"]?["labels"]?["app"]?.GetValue<string>() == Application).Items
            .Select(p => p["metadata"]!["name"]!.GetValue<string>()).Order().FirstOrDefault()
            ?? throw new BenchException("the Deployment has no pods in the test cluster");
        await WaitForHealthAsync(http, pod, "Up", TimeSpan.FromSeconds(30));

        var flips = quick ? 5 : 20;
        progress($"kubernetes: inventory freshness, {flips} flips of pod {pod} not-ready / ready");
        var (down, up) = (new Samples(), new Samples());
        for (var i = 0; i < flips; i++)
        {
            down.Add(await FlipAsync(http, cluster, pods, pod, ready: false));
            up.Add(await FlipAsync(http, cluster, pods, pod, ready: true));
        }
        report.Add("inventory_freshness_ms.kubernetes.p50", down.P50, "ms", "0");
        report.Add("inventory_freshness_ms.kubernetes.p99", down.P99, "ms", "0");
        report.Add("inventory_freshness_ms.kubernetes.ready.p50", up.P50, "ms", "0");
        report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"kubernetes: inventory_freshness_ms = a pod's Ready condition set False in the test API server (in the benchmark's process) -> GET /applications/{Application}/serverGroups shows it Down "
            + $"(polled every {PollInterval.TotalMilliseconds:0} ms), {down.Count} flips; min {down.Min:0}, max {down.Max:0} ms; back to Ready -> Up: p50 {up.P50:0}, p99 {up.P99:0} ms"));
    }

    /// <summary>Sets the pod's Ready condition and returns the milliseconds until the read API shows the matching health.</summary>
    private static async Task<double> FlipAsync(HttpClient http, KubernetesTestServer.KubernetesTestServer cluster, ResourceType pods, string pod, bool ready)
    {
        var flipped = Stopwatch.GetTimestamp();
        cluster.Store.Write(pods, Namespace, pod, current =>
        {
            foreach (var condition in current!["status"]!["conditions"]!.AsArray().OfType<JsonObject>()
                .Where(c => c["type"]!.GetValue<string>() is "Ready" or "ContainersReady"))
            {
                condition["status"] = ready ? "True" : "False";
            }
            return current;
        });
        await WaitForHealthAsync(http, pod, ready ? "Up" : "Down", TimeSpan.FromSeconds(10));
        return Stopwatch.GetElapsedTime(flipped).TotalMilliseconds;
    }

    private static async Task WaitForHealthAsync(HttpClient http, string pod, string health, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        while (await HealthAsync(http, pod) != health)
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new BenchException($"timed out after {timeout.TotalSeconds:0} s waiting for pod {pod} to show {health}");
            }
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The health the read API gives the pod, null while it does not list it.</summary>
    private static async Task<string?> HealthAsync(HttpClient http, string pod) =>
        (await http.GetFromJsonAsync<JsonArray>($"/applications/{Application}/serverGroups"))!
            .SelectMany(g => g!["instances"]?.AsArray() ?? [])
            .FirstOrDefault(i => i!["id"]?.GetValue<string>() == pod)?["health"]?.GetValue<string>();

    private static JsonObject DeployManifest() => new()
    {
        ["refId"] = "1",
        ["type"] = "deployManifest",
        ["name"] = "deploy",
        ["account"] = Account,
        ["moniker"] = new JsonObject { ["app"] = Application },
        ["manifests"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = Application, ["namespace"] = Namespace },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 2,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = Application } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = Application } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = Application, ["image"] = $"{Application}:1" }) },
                },
            },
        }),
    };
}
