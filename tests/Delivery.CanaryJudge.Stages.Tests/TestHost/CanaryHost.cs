using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Delivery.CanaryJudge.Stages.Tests.TestHost;

/// <summary>
/// The standalone host (gate + orchestrator + clouddriver + canary-judge, in-memory bus and stores) in the test
/// process, and a real Prometheus that scrapes the local balancers the tests create. The local source's rate
/// window is 2 s (four scrapes), so intervals of seconds have data. Pipelines go through the gate API like a user's.
/// </summary>
public sealed class CanaryHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "delivery-canary-tests", Guid.NewGuid().ToString("N"));
    private HttpClient _http = null!;

    public PrometheusServer Prometheus { get; } = new();

    /// <summary>The sample app's dll, built with this test project.</summary>
    public static string HelloDll { get; } = Path.GetFullPath(typeof(CanaryHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HelloDll").Value!);

    public HttpClient Http => _http;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Delivery:Bus:Transport", "InMemory");
        builder.UseSetting("Delivery:Store:Kind", "InMemory");
        builder.UseSetting("Delivery:Clouddriver:Local:StateDirectory", _stateDirectory);
        builder.UseSetting("Delivery:Clouddriver:Local:InstanceStartupTimeoutSeconds", "60");
        builder.UseSetting("Delivery:CanaryJudge:Prometheus:BaseUrl", Prometheus.BaseUrl);
        builder.UseSetting("Delivery:CanaryJudge:Prometheus:TimeoutSeconds", "5");
        builder.UseSetting("Delivery:CanaryJudge:Local:MinRateWindowSeconds", "2");
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }

    public async Task InitializeAsync()
    {
        await Prometheus.StartAsync();
        _http = CreateClient();
        _http.Timeout = TimeSpan.FromSeconds(90);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        _http.Dispose();
        await DisposeAsync();
        await Prometheus.DisposeAsync();
    }

    /// <summary>Saves and runs a pipeline of <paramref name="application"/>, and waits until the execution ends.</summary>
    public async Task<JsonObject> RunPipelineAsync(string application, JsonArray stages, TimeSpan timeout)
    {
        var name = $"pipeline-{Guid.NewGuid():N}";
        var pipeline = new JsonObject { ["application"] = application, ["name"] = name, ["stages"] = stages };
        using (var saved = await _http.PostAsync("/pipelines", Json(pipeline)))
        {
            Assert.True(saved.IsSuccessStatusCode, $"Saving the pipeline failed with {(int)saved.StatusCode}: {await saved.Content.ReadAsStringAsync()}");
        }
        using var triggered = await _http.PostAsync($"/pipelines/{application}/{name}", Json(new JsonObject()));
        var id = JsonNode.Parse(await triggered.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>().Split('/')[^1];
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var execution = JsonNode.Parse(await _http.GetStringAsync($"/pipelines/{id}"))!.AsObject();
            if (execution["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL" or "CANCELED" or "STOPPED")
            {
                return execution;
            }
            Assert.True(watch.Elapsed < timeout, $"Execution {id} did not end; last state: {execution.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Runs a one-stage pipeline that must succeed.</summary>
    public async Task<JsonObject> SucceedAsync(string application, JsonObject stage)
    {
        stage["refId"] = "1";
        stage["name"] ??= stage["type"]!.GetValue<string>();
        var execution = await RunPipelineAsync(application, [stage], TimeSpan.FromSeconds(60));
        Assert.True(execution["status"]!.GetValue<string>() == "SUCCEEDED", $"{stage["type"]} did not succeed: {execution.ToJsonString()}");
        return execution;
    }

    /// <summary>Creates a load balancer through a pipeline and has Prometheus scrape it; returns its URL.</summary>
    public async Task<Uri> BalancerAsync(string application, string name)
    {
        var execution = await SucceedAsync(application, new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = name, ["credentials"] = "local" });
        var url = new Uri(Stage(execution, "upsertLoadBalancer")["outputs"]!["url"]!.GetValue<string>());
        await Prometheus.ScrapeAsync(name, url, "local");
        await Prometheus.WaitForTargetAsync(url);
        return url;
    }

    public async Task<JsonArray> ServerGroupsAsync(string application) =>
        JsonNode.Parse(await _http.GetStringAsync($"/applications/{application}/serverGroups"))!.AsArray();

    /// <summary>The stage of <paramref name="execution"/> of the given type (the first one).</summary>
    public static JsonObject Stage(JsonObject execution, string type) =>
        execution["stages"]!.AsArray().Select(s => s!.AsObject()).First(s => s["type"]!.GetValue<string>() == type);

    /// <summary>The errors the failed stages of <paramref name="execution"/> recorded.</summary>
    public static string Errors(JsonObject execution) => string.Join(" | ", execution["stages"]!.AsArray()
        .Select(s => s!["context"]?["exception"]?["details"]?["error"]?.GetValue<string>()).OfType<string>());

    /// <summary>A deploy cluster of samples/hello answering <paramref name="version"/>, failing <paramref name="failRate"/> of its requests.</summary>
    public static JsonObject HelloCluster(string application, string stack, string version, string failRate, string strategy, string loadBalancer) => new()
    {
        ["cloudProvider"] = "local",
        ["account"] = "local",
        ["application"] = application,
        ["stack"] = stack,
        ["capacity"] = new JsonObject { ["min"] = 1, ["max"] = 1, ["desired"] = 1 },
        ["strategy"] = strategy,
        ["loadBalancers"] = new JsonArray(loadBalancer),
        ["artifact"] = new JsonObject { ["command"] = "dotnet", ["args"] = new JsonArray(HelloDll) },
        ["env"] = new JsonObject { ["VERSION"] = version, ["FAIL_RATE"] = failRate },
        ["healthCheckPath"] = "/health",
    };

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}

[CollectionDefinition(Name)]
public sealed class CanaryCollection : ICollectionFixture<CanaryHost>
{
    public const string Name = "canary";
}
