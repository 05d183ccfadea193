using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Delivery.Clouddriver.Stages.Tests.TestHost;

/// <summary>
/// The standalone host (gate + orchestrator + clouddriver, in-memory bus and stores) in the test process, with its own
/// state directory; the local provider's processes and balancers listen on free 127.0.0.1 ports. Pipelines go through
/// the gate API like a user's.
/// </summary>
public sealed class StandaloneHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "delivery-cdstages-tests", Guid.NewGuid().ToString("N"));
    private HttpClient _http = null!;

    /// <summary>The sample app's dll, built with this test project.</summary>
    public static string HelloDll { get; } = Path.GetFullPath(typeof(StandaloneHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HelloDll").Value!);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Delivery:Bus:Transport", "InMemory");
        builder.UseSetting("Delivery:Store:Kind", "InMemory");
        builder.UseSetting("Delivery:Clouddriver:Local:StateDirectory", _stateDirectory);
        builder.UseSetting("Delivery:Clouddriver:Local:InstanceStartupTimeoutSeconds", "60");
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }

    public Task InitializeAsync()
    {
        _http = CreateClient();
        _http.Timeout = TimeSpan.FromSeconds(90);
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        _http.Dispose();
        await DisposeAsync();
    }

    /// <summary>
    /// Runs one stage as a one-stage pipeline of <paramref name="application"/> and waits until the execution ends;
    /// <paramref name="observe"/> sees every state read while it runs.
    /// </summary>
    public async Task<JsonObject> RunStageAsync(string application, JsonObject stage, TimeSpan? timeout = null, Action<JsonObject>? observe = null)
    {
        var name = $"{stage["type"]}-{Guid.NewGuid():N}";
        stage["refId"] = "1";
        stage["name"] ??= stage["type"]!.GetValue<string>();
        var pipeline = new JsonObject { ["application"] = application, ["name"] = name, ["stages"] = new JsonArray(stage) };
        using (var saved = await _http.PostAsync("/pipelines", Json(pipeline)))
        {
            Assert.True(saved.IsSuccessStatusCode, $"Saving the pipeline failed with {(int)saved.StatusCode}: {await saved.Content.ReadAsStringAsync()}");
        }
        using var triggered = await _http.PostAsync($"/pipelines/{application}/{name}", Json(new JsonObject()));
        var body = JsonNode.Parse(await triggered.Content.ReadAsStringAsync())!;
        var id = body["ref"]!.GetValue<string>().Split('/')[^1];
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var execution = JsonNode.Parse(await _http.GetStringAsync($"/pipelines/{id}"))!.AsObject();
            observe?.Invoke(execution);
            if (execution["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL" or "CANCELED" or "STOPPED")
            {
                return execution;
            }
            Assert.True(watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(60)), $"Execution {id} did not end; last state: {execution.ToJsonString()}");
            await Task.Delay(25);
        }
    }

    /// <summary>Runs a stage that must succeed.</summary>
    public async Task<JsonObject> SucceedAsync(string application, JsonObject stage, Action<JsonObject>? observe = null)
    {
        var execution = await RunStageAsync(application, stage, observe: observe);
        Assert.True(execution["status"]!.GetValue<string>() == "SUCCEEDED", $"{stage["type"]} did not succeed: {execution.ToJsonString()}");
        return execution;
    }

    public async Task<JsonArray> ServerGroupsAsync(string application) =>
        JsonNode.Parse(await _http.GetStringAsync($"/applications/{application}/serverGroups"))!.AsArray();

    public async Task<JsonArray> LoadBalancersAsync(string application) =>
        JsonNode.Parse(await _http.GetStringAsync($"/applications/{application}/loadBalancers"))!.AsArray();

    /// <summary>The stage of <paramref name="execution"/> of the given type (the first one).</summary>
    public static JsonObject Stage(JsonObject execution, string type) =>
        execution["stages"]!.AsArray().Select(s => s!.AsObject()).First(s => s["type"]!.GetValue<string>() == type);

    /// <summary>The errors the failed stages of <paramref name="execution"/> recorded.</summary>
    public static string Errors(JsonObject execution) => string.Join(" | ", execution["stages"]!.AsArray()
        .Select(s => s!["context"]?["exception"]?["details"]?["error"]?.GetValue<string>()).OfType<string>());

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>A deploy cluster of samples/hello answering <paramref name="version"/>.</summary>
    public static JsonObject HelloCluster(string application, string stack, string version, int instances, string strategy, params string[] loadBalancers) => new()
    {
        ["cloudProvider"] = "local",
        ["account"] = "local",
        ["application"] = application,
        ["stack"] = stack,
        ["capacity"] = new JsonObject { ["min"] = instances, ["max"] = instances, ["desired"] = instances },
        ["strategy"] = strategy,
        ["loadBalancers"] = new JsonArray([.. loadBalancers.Select(b => (JsonNode)b)]),
        ["artifact"] = new JsonObject { ["command"] = "dotnet", ["args"] = new JsonArray(HelloDll) },
        ["env"] = new JsonObject { ["VERSION"] = version },
        ["healthCheckPath"] = "/health",
    };

    /// <summary>Whether a process with this pid still runs.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static JsonObject Deploy(params JsonObject[] clusters) => new() { ["type"] = "deploy", ["clusters"] = new JsonArray(clusters) };
}

[CollectionDefinition(Name)]
public sealed class StandaloneCollection : ICollectionFixture<StandaloneHost>
{
    public const string Name = "standalone";
}
