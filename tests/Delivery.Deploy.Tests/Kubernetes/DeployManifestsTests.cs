using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Tests.TestServer;
using Delivery.Deploy.Tests.Infrastructure;

namespace Delivery.Deploy.Tests.Kubernetes;

/// <summary>
/// <c>kubectl apply --server-side -f deploy/</c> (the real kubectl) against the Kubernetes API test double: every
/// manifest is accepted, and the objects created are the topology the README describes; and a plain (client-side)
/// <c>kubectl apply</c>, whose changes are strategic merge patches.
/// </summary>
public sealed class DeployManifestsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("delivery-deploy-").FullName;
    private KubernetesTestServer.KubernetesTestServer _server = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesTestServer.KubernetesTestServer.StartAsync();
        _kubectl = new Kubectl(_server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig")));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Apply_creates_the_described_topology()
    {
        var applied = await _kubectl.OkAsync("apply", "--server-side", "-f", Path.Combine(Repository.Root, "deploy"));
        Assert.Contains("namespace/delivery serverside-applied", applied);

        var deployments = await ItemsAsync("deployments");
        Assert.Equal(
            new Dictionary<string, int> { ["canary-judge"] = 1, ["clouddriver"] = 2, ["echo"] = 1, ["gate"] = 2, ["orchestrator"] = 2 },
            deployments.ToDictionary(d => Name(d), d => d["spec"]!["replicas"]!.GetValue<int>()));
        foreach (var deployment in deployments)
        {
            var pod = deployment["spec"]!["template"]!["spec"]!;
            var container = pod["containers"]![0]!;
            Assert.Equal("/alive", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
            Assert.Equal("/health", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
            Assert.NotNull(container["resources"]!["limits"]!["memory"]);
            Assert.True(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
            Assert.Equal(["delivery-config", "delivery-secrets"],
                container["envFrom"]!.AsArray().Select(e => (e!["configMapRef"] ?? e["secretRef"])!["name"]!.GetValue<string>()));
            Assert.Equal(Name(deployment) == "clouddriver" ? "clouddriver" : "delivery", pod["serviceAccountName"]!.GetValue<string>());
        }

        Assert.Equal(["canary-judge", "clouddriver", "echo", "gate", "orchestrator"], (await ItemsAsync("poddisruptionbudgets")).Select(Name).Order());
        Assert.Equal(["canary-judge", "clouddriver", "echo", "gate", "orchestrator", "rabbitmq", "redis"], (await ItemsAsync("services")).Select(Name).Order());
        Assert.Equal(8084, (await ItemsAsync("services")).Single(s => Name(s) == "gate")["spec"]!["ports"]![0]!["port"]!.GetValue<int>());
        Assert.Equal(["rabbitmq", "redis"], (await ItemsAsync("statefulsets")).Select(Name).Order());
        Assert.Equal(["delivery-config"], (await ItemsAsync("configmaps")).Select(Name));
        Assert.Equal(["delivery-secrets"], (await ItemsAsync("secrets")).Select(Name));
        Assert.Equal(["clouddriver", "delivery"], (await ItemsAsync("serviceaccounts")).Select(Name).Order());

        // Clouddriver's in-cluster account may manage workloads in delivery-apps only.
        var binding = (await ItemsAsync("rolebindings", "delivery-apps")).Single();
        Assert.Equal("clouddriver", binding["subjects"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("delivery", binding["subjects"]![0]!["namespace"]!.GetValue<string>());
        var role = (await ItemsAsync("roles", "delivery-apps")).Single();
        Assert.Equal(binding["roleRef"]!["name"]!.GetValue<string>(), Name(role));
        Assert.Contains(role["rules"]!.AsArray(), r => r!["apiGroups"]![0]!.GetValue<string>() == "apps");

        // A second apply changes nothing.
        await _kubectl.OkAsync("apply", "--server-side", "-f", Path.Combine(Repository.Root, "deploy"));
        Assert.Equal(deployments.Select(Generation), (await ItemsAsync("deployments")).Select(Generation));
    }

    [Fact]
    public async Task Client_side_apply_creates_the_topology_and_patches_a_changed_copy()
    {
        var created = await _kubectl.OkAsync("apply", "-f", Path.Combine(Repository.Root, "deploy"));
        Assert.Contains("deployment.apps/clouddriver created", created);
        Assert.Equal(["canary-judge", "clouddriver", "echo", "gate", "orchestrator"], (await ItemsAsync("deployments")).Select(Name).Order());

        // A changed copy: the second apply sends strategic merge patches (apps, policy and RBAC kinds among them).
        var changed = Directory.CreateDirectory(Path.Combine(_directory, "deploy")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "deploy"), "*.yaml"))
        {
            var text = await File.ReadAllTextAsync(file);
            text = Path.GetFileName(file) switch
            {
                "20-clouddriver.yaml" => text.Replace("replicas: 2", "replicas: 3").Replace("minAvailable: 1", "minAvailable: 2"),
                "02-rbac.yaml" => text.Replace("resources: [jobs]", "resources: [jobs, cronjobs]"),
                _ => text,
            };
            await File.WriteAllTextAsync(Path.Combine(changed, Path.GetFileName(file)), text);
        }
        var configured = await _kubectl.OkAsync("apply", "-f", changed);
        Assert.Contains("deployment.apps/clouddriver configured", configured);
        Assert.Contains("poddisruptionbudget.policy/clouddriver configured", configured);
        Assert.Contains("role.rbac.authorization.k8s.io/clouddriver-deployer configured", configured);
        Assert.Contains("deployment.apps/gate unchanged", configured);

        var clouddriver = (await ItemsAsync("deployments")).Single(d => Name(d) == "clouddriver");
        Assert.Equal(3, clouddriver["spec"]!["replicas"]!.GetValue<int>());
        var container = clouddriver["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!;
        Assert.Equal("/alive", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal(2, (await ItemsAsync("poddisruptionbudgets")).Single(p => Name(p) == "clouddriver")["spec"]!["minAvailable"]!.GetValue<int>());
        var jobs = JsonNode.Parse("""["jobs","cronjobs"]""");
        Assert.Contains((await ItemsAsync("roles", "delivery-apps")).Single()["rules"]!.AsArray(), r => JsonNode.DeepEquals(r!["resources"], jobs));
    }

    private async Task<List<JsonObject>> ItemsAsync(string resource, string ns = "delivery") =>
        [.. JsonNode.Parse(await _kubectl.OkAsync("get", resource, "-n", ns, "-o", "json"))!["items"]!.AsArray().Select(i => i!.AsObject())];

    private static string Name(JsonObject item) => item["metadata"]!["name"]!.GetValue<string>();

    private static long Generation(JsonObject item) => item["metadata"]!["generation"]!.GetValue<long>();
}
