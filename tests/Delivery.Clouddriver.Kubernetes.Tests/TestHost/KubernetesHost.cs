using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.KubernetesTestServer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Delivery.Clouddriver.Kubernetes.Tests.TestHost;

/// <summary>
/// The standalone host (gate + orchestrator + clouddriver with the Kubernetes provider, in-memory bus and stores) in the test
/// process, with two Kubernetes accounts: <c>k8s</c> on a <see cref="KubernetesTestServer.KubernetesTestServer"/> (namespaces
/// <c>default</c> and <c>prod</c> allowed) and <c>unreachable</c>, whose kubeconfig points at a closed port.
/// </summary>
public class KubernetesHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    private HttpClient _http = null!;

    /// <summary>The host's own temporary directory (kubeconfigs, state), deleted at the end.</summary>
    protected string HostDirectory { get; } = Directory.CreateTempSubdirectory("k8s-host-").FullName;

    public KubernetesTestServer.KubernetesTestServer Cluster { get; private set; } = null!;

    public HttpClient Http => _http;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Delivery:Bus:Transport", "InMemory");
        builder.UseSetting("Delivery:Store:Kind", "InMemory");
        builder.UseSetting("Delivery:Clouddriver:Local:StateDirectory", Path.Combine(HostDirectory, "local"));
        builder.UseSetting("Delivery:Clouddriver:Kubernetes:StatusPollMs", "50");
        builder.UseSetting("Delivery:Clouddriver:Kubernetes:RequestTimeoutSeconds", "5");
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        ConfigureAccounts(builder);
    }

    /// <summary>The Kubernetes accounts (settings under <c>Delivery:Clouddriver:Kubernetes</c>), set once <see cref="Cluster"/> runs.</summary>
    protected virtual void ConfigureAccounts(IWebHostBuilder builder)
    {
        builder.UseSetting("Delivery:Clouddriver:Kubernetes:Accounts:0:Name", "k8s");
        builder.UseSetting("Delivery:Clouddriver:Kubernetes:Accounts:0:KubeconfigFile", Path.Combine(HostDirectory, "kubeconfig"));
        builder.UseSetting("Delivery:Clouddriver:Kubernetes:Accounts:0:Namespaces:0", "default");
        builder.UseSetting("Delivery:Clouddriver:Kubernetes:Accounts:0:Namespaces:1", "prod");
        builder.UseSetting("Delivery:Clouddriver:Kubernetes:Accounts:1:Name", "unreachable");
        builder.UseSetting("Delivery:Clouddriver:Kubernetes:Accounts:1:KubeconfigFile", Path.Combine(HostDirectory, "unreachable"));
    }

    /// <summary>How the cluster is started.</summary>
    protected virtual KubernetesTestServerOptions ClusterOptions() => new()
    {
        PodReadyDelay = TimeSpan.FromMilliseconds(100),
        Namespaces = ["default", "prod", "kube-system"],
        BookmarkInterval = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>Writes the files the accounts read, once <see cref="Cluster"/> runs and before the host starts.</summary>
    protected virtual async Task WriteCredentialsAsync()
    {
        Cluster.WriteKubeconfig(Path.Combine(HostDirectory, "kubeconfig"));
        // A port that was free a moment ago: nothing listens there.
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await File.WriteAllTextAsync(Path.Combine(HostDirectory, "unreachable"), (await File.ReadAllTextAsync(Path.Combine(HostDirectory, "kubeconfig"))).Replace(Cluster.Url.ToString().TrimEnd('/'), $"http://127.0.0.1:{port}"));
    }

    public async Task InitializeAsync()
    {
        Cluster = await KubernetesTestServer.KubernetesTestServer.StartAsync(ClusterOptions());
        await WriteCredentialsAsync();
        _http = CreateClient();
        _http.Timeout = TimeSpan.FromSeconds(60);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        _http.Dispose();
        await DisposeAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(HostDirectory, recursive: true);
    }

    /// <summary>Runs one stage as a one-stage pipeline of <paramref name="application"/> and waits until the execution ends.</summary>
    public async Task<JsonObject> RunStageAsync(string application, JsonObject stage, Action<JsonObject>? observe = null)
    {
        stage["refId"] = "1";
        return await WaitAsync(await StartAsync(application, new JsonArray(stage)), observe);
    }

    /// <summary>Saves and triggers a pipeline of <paramref name="stages"/> (each with its refId); returns the execution id.</summary>
    public async Task<string> StartAsync(string application, JsonArray stages)
    {
        var name = $"{stages[0]!["type"]}-{Guid.NewGuid():N}";
        foreach (var stage in stages.OfType<JsonObject>())
        {
            stage["name"] ??= stage["type"]!.GetValue<string>();
        }
        return await StartAsync(new JsonObject { ["application"] = application, ["name"] = name, ["stages"] = stages });
    }

    /// <summary>Saves and triggers a pipeline (<c>application</c>, <c>name</c>, <c>stages</c>); returns the execution id.</summary>
    public async Task<string> StartAsync(JsonObject pipeline)
    {
        using (var saved = await _http.PostAsync("/pipelines", Json(pipeline)))
        {
            Assert.True(saved.IsSuccessStatusCode, $"Saving the pipeline failed with {(int)saved.StatusCode}: {await saved.Content.ReadAsStringAsync()}");
        }
        using var triggered = await _http.PostAsync($"/pipelines/{pipeline["application"]}/{pipeline["name"]}", Json(new JsonObject()));
        return JsonNode.Parse(await triggered.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>().Split('/')[^1];
    }

    /// <summary>Polls the execution until <paramref name="until"/> holds of it (by default: it ended), for at most <paramref name="within"/> (30 s).</summary>
    public async Task<JsonObject> WaitAsync(string id, Action<JsonObject>? observe = null, Func<JsonObject, bool>? until = null, TimeSpan? within = null)
    {
        until ??= e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL" or "CANCELED" or "STOPPED";
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var execution = JsonNode.Parse(await _http.GetStringAsync($"/pipelines/{id}"))!.AsObject();
            observe?.Invoke(execution);
            if (until(execution))
            {
                return execution;
            }
            Assert.True(watch.Elapsed < (within ?? TimeSpan.FromSeconds(30)), $"Execution {id} did not get there; last state: {execution.ToJsonString()}");
            await Task.Delay(25);
        }
    }

    /// <summary>The stage of <paramref name="execution"/> with that refId.</summary>
    public static JsonObject Stage(JsonObject execution, string refId) =>
        execution["stages"]!.AsArray().OfType<JsonObject>().Single(s => s["refId"]!.GetValue<string>() == refId);

    /// <summary>Runs a stage that must succeed; returns its context.</summary>
    public async Task<JsonObject> SucceedAsync(string application, JsonObject stage, Action<JsonObject>? observe = null)
    {
        var execution = await RunStageAsync(application, stage, observe);
        Assert.True(execution["status"]!.GetValue<string>() == "SUCCEEDED", $"{stage["type"]} did not succeed: {execution.ToJsonString()}");
        return execution["stages"]![0]!["context"]!.AsObject();
    }

    /// <summary>The error a failed stage recorded.</summary>
    public static string Error(JsonObject execution) =>
        execution["stages"]![0]!["context"]?["exception"]?["details"]?["error"]?.GetValue<string>() ?? execution.ToJsonString();

    public async Task<JsonNode> GetAsync(string path) => JsonNode.Parse(await _http.GetStringAsync(path))!;

    /// <summary>Polls <paramref name="read"/> until <paramref name="condition"/> holds, for at most <paramref name="within"/>.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan within, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }
            Assert.True(watch.Elapsed < within, $"{what} did not happen within {within.TotalMilliseconds} ms; last: {value}");
            await Task.Delay(20);
        }
    }

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}

[CollectionDefinition(Name)]
public sealed class KubernetesCollection : ICollectionFixture<KubernetesHost>
{
    public const string Name = "kubernetes";
}
