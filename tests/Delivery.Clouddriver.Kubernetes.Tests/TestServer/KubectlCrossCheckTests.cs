using Delivery.KubernetesTestServer;

namespace Delivery.Clouddriver.Kubernetes.Tests.TestServer;

/// <summary>The test API server against a real client: kubectl v1.32 must work with it as with a cluster.</summary>
public sealed class KubectlCrossCheckTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("k8s-kubectl-").FullName;
    private KubernetesTestServer.KubernetesTestServer _server = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesTestServer.KubernetesTestServer.StartAsync(new KubernetesTestServerOptions { PodReadyDelay = TimeSpan.FromMilliseconds(150) });
        _kubectl = new Kubectl(_server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig")));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Apply_get_scale_rollout_status_undo_pause_resume()
    {
        var applied = await ApplyAsync("nginx:1.0", 2);
        Assert.Contains("deployment.apps/web serverside-applied", applied);
        Assert.Contains("successfully rolled out", await _kubectl.OkAsync("rollout", "status", "deployment/web", "--timeout=20s"));
        Assert.Equal(2, (await _kubectl.OkAsync("get", "pods", "-l", "app=web", "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.Contains("deployment.apps/web scaled", await _kubectl.OkAsync("scale", "deployment/web", "--replicas=3"));
        await _kubectl.OkAsync("rollout", "status", "deployment/web", "--timeout=20s");
        Assert.Equal("3", await _kubectl.OkAsync("get", "deployment", "web", "-o", "jsonpath={.status.readyReplicas}"));

        // kubectl scale took .spec.replicas over: applying the old count conflicts until forced.
        var (code, _, error) = await _kubectl.RunAsync("apply", "--server-side", "-f", await ManifestAsync("nginx:1.0", 2));
        Assert.NotEqual(0, code);
        Assert.Contains("conflict with \"kubectl\"", error);
        Assert.Contains(".spec.replicas", error);
        await ApplyAsync("nginx:1.0", 2, "--force-conflicts");

        await ApplyAsync("nginx:2.0", 2, "--force-conflicts");
        Assert.Contains("successfully rolled out", await _kubectl.OkAsync("rollout", "status", "deployment/web", "--timeout=20s"));
        Assert.Equal("nginx:2.0 nginx:2.0", await _kubectl.OkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}"));
        Assert.Equal("2", await _kubectl.OkAsync("get", "deployment", "web", "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}"));

        Assert.Contains("deployment.apps/web paused", await _kubectl.OkAsync("rollout", "pause", "deployment/web"));
        await ApplyAsync("nginx:3.0", 2, "--force-conflicts");
        await Task.Delay(300);
        Assert.Equal("DeploymentPaused", await _kubectl.OkAsync("get", "deployment", "web", "-o", "jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}"));
        Assert.Equal("nginx:2.0 nginx:2.0", await _kubectl.OkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}"));
        Assert.Contains("deployment.apps/web resumed", await _kubectl.OkAsync("rollout", "resume", "deployment/web"));
        Assert.Contains("successfully rolled out", await _kubectl.OkAsync("rollout", "status", "deployment/web", "--timeout=20s"));
        Assert.Equal("nginx:3.0 nginx:3.0", await _kubectl.OkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}"));

        Assert.Contains("rolled back", await _kubectl.OkAsync("rollout", "undo", "deployment/web"));
        Assert.Contains("successfully rolled out", await _kubectl.OkAsync("rollout", "status", "deployment/web", "--timeout=20s"));
        Assert.Equal("nginx:2.0", await _kubectl.OkAsync("get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"));
        Assert.Equal("4", await _kubectl.OkAsync("get", "deployment", "web", "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}"));

        Assert.Contains("deleted", await _kubectl.OkAsync("delete", "deployment", "web"));
        Assert.Equal("", (await _kubectl.OkAsync("get", "replicasets,pods", "-o", "name")).Trim());
    }

    [Fact]
    public async Task Rollout_status_fails_when_a_rollout_exceeds_its_progress_deadline()
    {
        _server.FailImage("nginx:broken");
        await ApplyAsync("nginx:1.0", 1);
        await _kubectl.OkAsync("rollout", "status", "deployment/web", "--timeout=20s");
        await ApplyAsync("nginx:broken", 1, progressDeadlineSeconds: 1);
        var (code, _, error) = await _kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=20s");
        Assert.NotEqual(0, code);
        Assert.Contains("exceeded its progress deadline", error);
        Assert.Equal("nginx:1.0", await _kubectl.OkAsync("get", "pods", "-l", "app=web", "--field-selector=status.phase=Running", "-o",
            "jsonpath={.items[?(@.status.containerStatuses[0].ready==true)].spec.containers[0].image}"));
    }

    [Fact]
    public async Task Rollout_status_of_a_stateful_set_and_a_daemon_set_and_wait_for_a_complete_job()
    {
        var path = Path.Combine(_directory, "workloads.yaml");
        await File.WriteAllTextAsync(path, Workloads("db:1"));
        var applied = await _kubectl.OkAsync("apply", "--server-side", "-f", path);
        Assert.Contains("statefulset.apps/db serverside-applied", applied);
        Assert.Contains("daemonset.apps/agent serverside-applied", applied);
        Assert.Contains("job.batch/migrate serverside-applied", applied);
        Assert.Contains("partitioned roll out complete", await _kubectl.OkAsync("rollout", "status", "statefulset/db", "--timeout=20s"));
        Assert.Contains("successfully rolled out", await _kubectl.OkAsync("rollout", "status", "daemonset/agent", "--timeout=20s"));
        Assert.Contains("condition met", await _kubectl.OkAsync("wait", "--for=condition=complete", "job/migrate", "--timeout=20s"));
        Assert.Equal("db-0 db-1", await _kubectl.OkAsync("get", "pods", "-l", "app=db", "-o", "jsonpath={.items[*].metadata.name}"));

        await File.WriteAllTextAsync(path, Workloads("db:2"));
        await _kubectl.OkAsync("apply", "--server-side", "-f", path);
        await _kubectl.OkAsync("rollout", "status", "statefulset/db", "--timeout=20s");
        Assert.Equal("db:2 db:2", await _kubectl.OkAsync("get", "pods", "-l", "app=db", "-o", "jsonpath={.items[*].spec.containers[0].image}"));
        Assert.Equal("2", await _kubectl.OkAsync("get", "statefulset", "db", "-o", "jsonpath={.status.updatedReplicas}"));
    }

    private static string Workloads(string dbImage) => $"""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {"{"}name: db, namespace: default{"}"}
        spec:
          replicas: 2
          serviceName: db
          selector:
            matchLabels: {"{"}app: db{"}"}
          template:
            metadata:
              labels: {"{"}app: db{"}"}
            spec:
              containers: [{"{"}name: db, image: "{dbImage}"{"}"}]
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {"{"}name: agent, namespace: default{"}"}
        spec:
          selector:
            matchLabels: {"{"}app: agent{"}"}
          template:
            metadata:
              labels: {"{"}app: agent{"}"}
            spec:
              containers: [{"{"}name: agent, image: agent:1{"}"}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {"{"}name: migrate, namespace: default{"}"}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{"{"}name: migrate, image: migrate:1{"}"}]
        """;

    private async Task<string> ManifestAsync(string image, int replicas, int progressDeadlineSeconds = 600)
    {
        var path = Path.Combine(_directory, $"web-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, Deployment(image, replicas, progressDeadlineSeconds));
        return path;
    }

    private async Task<string> ApplyAsync(string image, int replicas, string? flag = null, int progressDeadlineSeconds = 600) =>
        await _kubectl.OkAsync([ "apply", "--server-side", "-f", await ManifestAsync(image, replicas, progressDeadlineSeconds), .. flag is null ? Array.Empty<string>() : [flag]]);

    private static string Deployment(string image, int replicas, int progressDeadlineSeconds) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
        spec:
          replicas: {replicas}
          progressDeadlineSeconds: {progressDeadlineSeconds}
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: web
                image: {image}
                ports:
                - containerPort: 80
        """;
}
