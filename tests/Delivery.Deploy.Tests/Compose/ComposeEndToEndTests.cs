using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.KubernetesTestServer;
using Xunit.Abstractions;

namespace Delivery.Deploy.Tests.Compose;

/// <summary>
/// docker-compose.yml run for real (docker/ images, the host-network override): every service healthy; through
/// gate, the UI, an application, a red/black deploy of samples/hello on the local cloud, a manual judgment approved
/// through the API, an orchestrator killed while the pipeline runs (both clouddrivers up: one hosts the local cloud,
/// the other forwards to it); a Kubernetes deploy (the test server, both clouddrivers) with the local cloud's host
/// killed while it runs, after which the other replica serves the balancer; and <c>docker-compose down</c> leaving nothing.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ComposeEndToEndTests(ITestOutputHelper output)
{
    private const string App = "hello";

    [Fact]
    public async Task Whole_stack_deploys_through_gate_survives_orchestrator_and_clouddriver_kills_and_goes_down_clean()
    {
        // Clouddriver's stateless provider: both replicas reach the Kubernetes test server (on the host network).
        var kube = Directory.CreateTempSubdirectory("delivery-compose-kube-").FullName;
        await using var cluster = await KubernetesTestServer.KubernetesTestServer.StartAsync(new KubernetesTestServerOptions { PodReadyDelay = TimeSpan.FromSeconds(4) });
        cluster.WriteKubeconfig(Path.Combine(kube, "kubeconfig"));
        File.SetUnixFileMode(kube, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(kube, "kubeconfig"), (UnixFileMode)0b110_100_100);
        var accounts = Path.Combine(kube, "docker-compose.kubernetes.yml");
        File.WriteAllText(accounts, $$"""
            x-account: &account
              volumes: ["{{kube}}:/kube:ro"]
              environment:
                Delivery__Clouddriver__Kubernetes__Accounts__0__Name: k8s
                Delivery__Clouddriver__Kubernetes__Accounts__0__KubeconfigFile: /kube/kubeconfig
                Delivery__Clouddriver__Kubernetes__Accounts__0__Namespaces__0: default
            services:
              clouddriver-1: *account
              clouddriver-2: *account
            """);
        await using var engine = await DockerEngine.StartAsync();
        await using var stack = await ComposeStack.UpAsync(engine, accounts);
        try
        {
            using var gate = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = stack.Gate, Timeout = TimeSpan.FromSeconds(30) };

            // The web UI is gate's own page.
            using (var page = new HttpRequestMessage(HttpMethod.Get, "/"))
            {
                page.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
                using var ui = await gate.SendAsync(page);
                Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
                Assert.Contains("<div id=\"root\">", await ui.Content.ReadAsStringAsync());
            }

            await OkAsync(gate, HttpMethod.Post, "/applications", new JsonObject { ["name"] = App, ["email"] = "team@example.com" });
            Assert.Equal(App, JsonNode.Parse(await gate.GetStringAsync($"/applications/{App}"))!["name"]!.GetValue<string>());

            // Both clouddrivers run: the local cloud's processes live in the replica holding its lease, and the other
            // forwards local operations to it (queue delivery-clouddriver-local).

            // v1 behind a balancer; a judgment; then v2 red/black while an orchestrator dies.
            await OkAsync(gate, HttpMethod.Post, "/pipelines", new JsonObject
            {
                ["application"] = App,
                ["name"] = "deliver",
                ["stages"] = new JsonArray(
                    new JsonObject { ["refId"] = "1", ["type"] = "upsertLoadBalancer", ["name"] = "balancer", ["loadBalancerName"] = "hello-web", ["credentials"] = "local" },
                    Deploy("2", "v1", "1"),
                    new JsonObject { ["refId"] = "3", ["type"] = "manualJudgment", ["name"] = "promote?", ["requisiteStageRefIds"] = new JsonArray("2") },
                    new JsonObject { ["refId"] = "4", ["type"] = "wait", ["name"] = "soak", ["waitTime"] = 8, ["requisiteStageRefIds"] = new JsonArray("3") },
                    Deploy("5", "v2", "4")),
            });
            var triggered = await OkAsync(gate, HttpMethod.Post, $"/pipelines/{App}/deliver", new JsonObject());
            var id = triggered["ref"]!.GetValue<string>().Split('/')[^1];

            var judgment = await WaitForAsync(gate, id, e => Stage(e, "manualJudgment")?["status"]?.GetValue<string>() == "RUNNING", TimeSpan.FromMinutes(3));
            var balancer = JsonNode.Parse(await gate.GetStringAsync($"/applications/{App}/loadBalancers"))!.AsArray().Single()!;
            var url = balancer["url"]!.GetValue<string>();
            Assert.Equal("v1", await VersionAsync(url));

            await OkAsync(gate, HttpMethod.Patch, $"/pipelines/{id}/stages/{Stage(judgment, "manualJudgment")!["id"]}", new JsonObject { ["judgmentStatus"] = "continue" });
            await WaitForAsync(gate, id, e => Stage(e, "wait")?["status"]?.GetValue<string>() == "RUNNING", TimeSpan.FromMinutes(1));
            await stack.KillAsync("orchestrator-1");
            output.WriteLine("killed orchestrator-1 during the wait stage");

            var done = await WaitForAsync(gate, id, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL" or "CANCELED" or "STOPPED", TimeSpan.FromMinutes(4));
            Assert.True(done["status"]!.GetValue<string>() == "SUCCEEDED", $"The pipeline ended {done["status"]}: {done.ToJsonString()}");
            Assert.Equal("v2", await VersionAsync(url));
            var groups = JsonNode.Parse(await gate.GetStringAsync($"/applications/{App}/serverGroups"))!.AsArray();
            Assert.Equal(
                new Dictionary<string, bool> { ["hello-web-v000"] = true, ["hello-web-v001"] = false },
                groups.ToDictionary(g => g!["name"]!.GetValue<string>(), g => g!["disabled"]!.GetValue<bool>()));

            // Both clouddrivers take Kubernetes operations; the one hosting the local cloud is killed while a deploy
            // waits for its pods, so the other also adopts the local cloud (same balancer port, v2 enabled).
            var host = await LocalCloudHostAsync(stack);
            await OkAsync(gate, HttpMethod.Post, "/pipelines", new JsonObject
            {
                ["application"] = App,
                ["name"] = "kubernetes",
                ["stages"] = new JsonArray(new JsonObject
                {
                    ["refId"] = "1", ["type"] = "deployManifest", ["name"] = "deploy", ["account"] = "k8s", ["source"] = "text",
                    ["moniker"] = new JsonObject { ["app"] = App },
                    ["manifests"] = new JsonArray(
                        """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: { name: hello-k8s }
                        spec:
                          replicas: 2
                          selector: { matchLabels: { app: hello-k8s } }
                          template:
                            metadata: { labels: { app: hello-k8s } }
                            spec: { containers: [ { name: web, image: "hello:1" } ] }
                        """),
                }),
            });
            var k8s = (await OkAsync(gate, HttpMethod.Post, $"/pipelines/{App}/kubernetes", new JsonObject()))["ref"]!.GetValue<string>().Split('/')[^1];
            await WaitForAsync(gate, k8s, e => Stage(e, "deployManifest")?["status"]?.GetValue<string>() == "RUNNING", TimeSpan.FromMinutes(1));
            await stack.KillAsync(host);
            output.WriteLine($"killed {host}, the local cloud's host, during the deployManifest stage");
            var deployed = await WaitForAsync(gate, k8s, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL" or "CANCELED" or "STOPPED", TimeSpan.FromMinutes(3));
            Assert.True(deployed["status"]!.GetValue<string>() == "SUCCEEDED", $"The Kubernetes pipeline ended {deployed["status"]}: {deployed.ToJsonString()}");
            var deployments = cluster.Types.Find("apps", "v1", "deployments")!;
            var live = cluster.Store.List(deployments, "default", d => d["metadata"]!["name"]!.GetValue<string>() == "hello-k8s").Items.Single();
            Assert.Equal(2, live["status"]!["readyReplicas"]!.GetValue<int>());
            Assert.Equal("v2", await EventuallyVersionAsync(url, TimeSpan.FromMinutes(2)));
        }
        catch
        {
            output.WriteLine(await stack.LogsAsync());
            throw;
        }
        finally
        {
            await stack.DownAsync();
            Directory.Delete(kube, recursive: true);
            foreach (var (step, seconds) in stack.Timings)
            {
                output.WriteLine($"{step}: {seconds:0.0} s");
            }
        }
        Assert.Equal((string.Empty, string.Empty), await stack.LeftoversAsync());
    }

    private static JsonObject Deploy(string refId, string version, string requisite) => new()
    {
        ["refId"] = refId,
        ["type"] = "deploy",
        ["name"] = $"deploy {version}",
        ["requisiteStageRefIds"] = new JsonArray(requisite),
        ["clusters"] = new JsonArray(new JsonObject
        {
            ["cloudProvider"] = "local",
            ["account"] = "local",
            ["application"] = App,
            ["stack"] = "web",
            ["capacity"] = new JsonObject { ["min"] = 2, ["max"] = 2, ["desired"] = 2 },
            ["strategy"] = "redblack",
            ["loadBalancers"] = new JsonArray("hello-web"),
            // The sample is in the image; its instances are processes of the clouddriver container that runs the operation.
            ["artifact"] = new JsonObject { ["command"] = "dotnet", ["args"] = new JsonArray("/app/hello/hello.dll") },
            ["env"] = new JsonObject { ["VERSION"] = version },
            ["healthCheckPath"] = "/health",
        }),
    };

    private static JsonObject? Stage(JsonObject execution, string type) =>
        execution["stages"]!.AsArray().Select(s => s!.AsObject()).FirstOrDefault(s => s["type"]!.GetValue<string>() == type);

    private static async Task<string> VersionAsync(string balancer)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        return JsonNode.Parse(await http.GetStringAsync(balancer))!["version"]!.GetValue<string>();
    }

    /// <summary>The clouddriver replica that took the local cloud's lease (it logs so when it does).</summary>
    private static async Task<string> LocalCloudHostAsync(ComposeStack stack)
    {
        string[] replicas = ["clouddriver-1", "clouddriver-2"];
        foreach (var replica in replicas)
        {
            if ((await stack.ComposeAsync(TimeSpan.FromSeconds(30), "logs", "--no-color", replica)).Contains("hosts the local cloud now", StringComparison.Ordinal))
            {
                return replica;
            }
        }
        throw new InvalidOperationException("Neither clouddriver logged that it hosts the local cloud.");
    }

    /// <summary>The balancer's answer once it answers again (a replica adopting the local cloud restarts its listener).</summary>
    private static async Task<string> EventuallyVersionAsync(string balancer, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await VersionAsync(balancer);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && watch.Elapsed < timeout)
            {
                await Task.Delay(500);
            }
        }
    }

    private static async Task<JsonObject> OkAsync(HttpClient gate, HttpMethod method, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = await gate.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<JsonObject> WaitForAsync(HttpClient gate, string id, Func<JsonObject, bool> done, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        JsonObject? last = null;
        while (watch.Elapsed < timeout)
        {
            try
            {
                last = JsonNode.Parse(await gate.GetStringAsync($"/pipelines/{id}"))!.AsObject();
                if (done(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // A replica behind gate restarting; ask again.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Execution {id} did not get there in {timeout.TotalSeconds} s; last: {last?.ToJsonString()}");
    }
}
