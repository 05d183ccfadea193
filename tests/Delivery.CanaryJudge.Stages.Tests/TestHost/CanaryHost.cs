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
    private readonly List<IDisposable> _others = [];

    /// <summary>Scrapes every 500 ms, so the local source's 2 s rate window has four scrapes.</summary>
    public PrometheusServer Prometheus { get; } = new() { ScrapeInterval = TimeSpan.FromMilliseconds(500) };

    /// <summary>The sample app's dll, built with this test project.</summary>
    public static string HelloDll { get; } = Path.GetFullPath(typeof(CanaryHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HelloDll").Value!);

    public HttpClient Http => _http;

    /// <summary>The gate API of this host.</summary>
    public DeliveryClient Client { get; private set; } = null!;

    /// <summary>
    /// A second standalone host (its own bus, stores and local cloud) whose canary-judge looks for Prometheus at
    /// <paramref name="prometheusUrl"/>; disposed with this one.
    /// </summary>
    public DeliveryClient OtherHost(string prometheusUrl)
    {
        var other = WithWebHostBuilder(b => b.UseSetting("Delivery:CanaryJudge:Prometheus:BaseUrl", prometheusUrl));
        var http = other.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(90);
        _others.Add(http);
        _others.Add(other);
        return new DeliveryClient(http, null);
    }

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
        await Prometheus.InitializeAsync();
        _http = CreateClient();
        _http.Timeout = TimeSpan.FromSeconds(90);
        Client = new DeliveryClient(_http, Prometheus);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        _http.Dispose();
        foreach (var other in _others)
        {
            other.Dispose();
        }
        await DisposeAsync();
        await Prometheus.DisposeAsync();
    }

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
