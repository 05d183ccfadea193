using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Delivery.Clouddriver;
using Delivery.Integration.Tests.Infrastructure;
using Xunit.Abstractions;
using static Delivery.Integration.Tests.Infrastructure.DeliveryClient;

namespace Delivery.Integration.Tests.Clouddriver;

/// <summary>
/// Issue 9's crash test: a gate, two orchestrators and two clouddrivers (the real hosts, as processes) on one Redis and
/// one RabbitMQ deploy <c>samples/hello</c> red/black through the pipeline API. While a deploy creates its server group,
/// the clouddriver hosting the local cloud and one orchestrator are killed with SIGKILL (the clouddriver alone: its
/// instances live on, orphaned). The deploy must end SUCCEEDED on the survivors, no server group may be created twice,
/// the dead host's processes must be gone, and the load balancer must serve the new version.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class ReplicaKillTests(RedisServerFixture redis, RabbitMqServerFixture rabbit, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Application = "kd";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private readonly List<ServiceProcess> _processes = [];
    private readonly string _logs = Machine.TempDirectory("clouddriver-kill");
    private readonly string _state = Machine.TempDirectory("clouddriver-state");
    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();
    private readonly HashSet<int> _instancePids = [];

    private ClouddriverRedisKeys Keys => new(Microsoft.Extensions.Options.Options.Create(new Delivery.ServiceDefaults.DeliveryStoreOptions { KeyPrefix = _prefix }));

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Killing_the_clouddriver_running_a_deploy_and_an_orchestrator_leaves_the_deploy_to_finish_on_the_survivors()
    {
        var hello = await ServiceProcess.LocateAsync("samples/hello", "hello");
        var gateDll = await ServiceProcess.LocateAsync("services/gate/Delivery.Gate.Host", "Delivery.Gate.Host");
        var orchestratorDll = await ServiceProcess.LocateAsync("services/orchestrator/Delivery.Orchestrator.Host", "Delivery.Orchestrator.Host");
        var clouddriverDll = await ServiceProcess.LocateAsync("services/clouddriver/Delivery.Clouddriver.Host", "Delivery.Clouddriver.Host");
        var settings = await SettingsAsync();
        var watch = Stopwatch.StartNew();
        var clouddrivers = new[] { Start("clouddriver-0", clouddriverDll, settings), Start("clouddriver-1", clouddriverDll, settings) };
        var orchestrators = new[] { Start("orchestrator-0", orchestratorDll, settings), Start("orchestrator-1", orchestratorDll, settings) };
        var gate = Start("gate", gateDll, settings);
        await Task.WhenAll(_processes.Select(p => p.WaitHealthyAsync(TimeSpan.FromSeconds(90))));
        output.WriteLine($"5 hosts healthy in {watch.Elapsed.TotalSeconds:0.0} s");
        var client = new DeliveryClient(gate.Http);
        foreach (var version in (string[])["v1", "v2", "v3"])
        {
            await client.SaveStagesAsync(Application, $"deploy-{version}", LoadBalancerStage(), DeployStage(hello, version));
        }

        var first = await client.WaitForStatusAsync(await client.TriggerAsync(Application, "deploy-v1"), "SUCCEEDED", Bound);
        Assert.Equal("SUCCEEDED", Status(first));

        // The second deploy is killed in the middle: once its new server group exists and its instances start.
        var second = await client.TriggerAsync(Application, "deploy-v2");
        var reader = clouddrivers[0];
        Assert.True(await EventuallyAsync(async () => (await ServerGroupsAsync(reader)).Any(g => Name(g) == "kd-v001"), Bound), "kd-v001 was never created");
        var host = await HostAsync(clouddrivers);
        var orchestrator = orchestrators[Random.Shared.Next(2)];
        var beforeKill = _instancePids.ToList();
        await host.KillAloneAsync();
        await KillTreeAsync(orchestrator);
        var survivor = clouddrivers.Single(c => c != host);
        output.WriteLine($"killed {host.Name} (hosting the local cloud) and {orchestrator.Name} {watch.Elapsed.TotalSeconds:0.0} s in; instance pids then: {string.Join(", ", beforeKill)}");

        var execution = await client.WaitForAsync(second, e => IsFinal(Status(e)), Bound, "the deploy to end");
        output.WriteLine($"deploy v2 ended {Status(execution)} {watch.Elapsed.TotalSeconds:0.0} s in");
        Assert.True(Status(execution) == "SUCCEEDED", $"deploy v2 ended {Status(execution)}: {execution.ToJsonString()}");
        // The killed host's orphans were stopped by the replica that adopted the local cloud.
        Assert.All(beforeKill, pid => Assert.True(Gone(pid), $"instance process {pid} of the killed clouddriver still runs"));

        var groups = await ServerGroupsAsync(survivor);
        Assert.Equal(["kd-v000", "kd-v001"], groups.Select(Name));
        Assert.True(groups[0]["disabled"]!.GetValue<bool>(), "the previous server group was not disabled");
        Assert.False(groups[1]["disabled"]!.GetValue<bool>());
        static int Serving(JsonObject group) => group["instances"]!.AsArray().Count(i => i!["health"]!.GetValue<string>() is "Up" or "OutOfService");
        Assert.Equal(2, Serving(groups[1]));
        // The deploy waited for the new group only; the adopter restarts the old group's killed orphans on its own time.
        Assert.True(await EventuallyAsync(async () => Serving((await ServerGroupsAsync(survivor))[0]) == 2, Bound),
            $"kd-v000 never got its 2 instances back: {(await ServerGroupsAsync(survivor))[0].ToJsonString()}");
        await AssertServesAsync(survivor, "v2");

        // The survivors keep deploying, and every sequence was handed out once: three deploys, three server groups.
        var third = await client.WaitForStatusAsync(await client.TriggerAsync(Application, "deploy-v3"), "SUCCEEDED", Bound);
        Assert.Equal("SUCCEEDED", Status(third));
        await AssertServesAsync(survivor, "v3");
        Assert.Equal("3", (string?)await redis.Connection.GetDatabase().StringGetAsync(Keys.Sequence("local", Application)));
        Assert.Equal(["kd-v001", "kd-v002"], (await ServerGroupsAsync(survivor)).Select(Name));
        output.WriteLine($"done {watch.Elapsed.TotalSeconds:0.0} s in");
    }

    private async Task<Dictionary<string, string>> SettingsAsync() => new()
    {
        ["Delivery:Bus:Transport"] = "RabbitMq",
        ["Delivery:Bus:Host"] = "127.0.0.1",
        ["Delivery:Bus:Port"] = rabbit.Port.ToString(CultureInfo.InvariantCulture),
        ["Delivery:Bus:VirtualHost"] = await rabbit.CreateVirtualHostAsync(),
        ["Delivery:Store:Kind"] = "Redis",
        ["Delivery:Store:Redis"] = redis.Configuration,
        ["Delivery:Store:KeyPrefix"] = _prefix,
        ["Delivery:Orchestrator:TimerLeaseMs"] = "3000",
        ["Delivery:Clouddriver:Distributed:LeaseMs"] = "3000",
        // One machine: both clouddrivers see each other's pid files, so an adopting one stops a dead one's orphans.
        ["Delivery:Clouddriver:Local:StateDirectory"] = _state,
    };

    private ServiceProcess Start(string name, string dll, IReadOnlyDictionary<string, string> settings)
    {
        var process = ServiceProcess.Start(name, dll, settings, _logs);
        _processes.Add(process);
        return process;
    }

    private static JsonObject LoadBalancerStage() => new()
    {
        ["refId"] = "1",
        ["type"] = "upsertLoadBalancer",
        ["name"] = "balancer",
        ["credentials"] = "local",
        ["loadBalancerName"] = $"{Application}-web",
    };

    private static JsonObject DeployStage(string hello, string version) => new()
    {
        ["refId"] = "2",
        ["type"] = "deploy",
        ["name"] = $"deploy {version}",
        ["requisiteStageRefIds"] = new JsonArray("1"),
        ["clusters"] = new JsonArray(new JsonObject
        {
            ["account"] = "local",
            ["cloudProvider"] = "local",
            ["application"] = Application,
            ["capacity"] = new JsonObject { ["min"] = 2, ["max"] = 2, ["desired"] = 2 },
            ["strategy"] = "redblack",
            ["maxRemainingAsgs"] = 2,
            ["loadBalancers"] = new JsonArray($"{Application}-web"),
            ["artifact"] = new JsonObject { ["command"] = ServiceProcess.Dotnet, ["args"] = new JsonArray(hello) },
            ["env"] = new JsonObject { ["VERSION"] = version },
            ["healthCheckPath"] = "/health",
        }),
    };

    /// <summary>The application's server groups as a clouddriver answers them (none while it cannot answer), remembering every instance pid.</summary>
    private async Task<List<JsonObject>> ServerGroupsAsync(ServiceProcess clouddriver)
    {
        try
        {
            var groups = JsonNode.Parse(await clouddriver.Http.GetStringAsync($"/applications/{Application}/serverGroups"))!.AsArray().Select(g => g!.AsObject()).ToList();
            foreach (var pid in groups.SelectMany(g => g["instances"]!.AsArray()).Select(i => i!["pid"]?.GetValue<int>()).OfType<int>())
            {
                _instancePids.Add(pid);
            }
            return groups;
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    private static string Name(JsonObject group) => group["name"]!.GetValue<string>();

    /// <summary>The clouddriver whose replica id holds the local cloud's lease (<c>{machine}:{pid}:{random}</c>).</summary>
    private async Task<ServiceProcess> HostAsync(ServiceProcess[] clouddrivers)
    {
        var holder = (string?)await redis.Connection.GetDatabase().StringGetAsync(Keys.LocalHost) ?? throw new InvalidOperationException("No clouddriver hosts the local cloud.");
        var pid = int.Parse(holder.Split(':')[1], CultureInfo.InvariantCulture);
        return clouddrivers.Single(c => c.Pid == pid);
    }

    private static async Task KillTreeAsync(ServiceProcess process)
    {
        using var os = Process.GetProcessById(process.Pid);
        os.Kill(entireProcessTree: true);
        await os.WaitForExitAsync();
    }

    /// <summary>Every answer of the load balancer comes from <paramref name="version"/>.</summary>
    private async Task AssertServesAsync(ServiceProcess clouddriver, string version)
    {
        var balancers = JsonNode.Parse(await clouddriver.Http.GetStringAsync($"/applications/{Application}/loadBalancers"))!.AsArray();
        var url = Assert.Single(balancers)!["url"]!.GetValue<string>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 20; i++)
        {
            var answer = JsonNode.Parse(await http.GetStringAsync(url))!;
            Assert.Equal(version, answer["version"]!.GetValue<string>());
        }
    }

    private static bool Gone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        do
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(50);
        }
        while (watch.Elapsed < timeout);
        return false;
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_processes.Select(p => p.DisposeAsync().AsTask()));
        // Nothing the test started outlives it: every instance process it saw is gone (once the killed ones are reaped).
        await EventuallyAsync(() => Task.FromResult(_instancePids.All(Gone)), TimeSpan.FromSeconds(10));
        var left = _instancePids.Where(pid => !Gone(pid)).ToList();
        foreach (var pid in left)
        {
            using var orphan = Process.GetProcessById(pid);
            orphan.Kill(entireProcessTree: true);
        }
        if (Environment.GetEnvironmentVariable("DELIVERY_IT_KEEP_LOGS") == "1")
        {
            output.WriteLine($"process logs kept in {_logs}");
        }
        else
        {
            Machine.DeleteDirectory(_logs);
        }
        Machine.DeleteDirectory(_state);
        Assert.True(left.Count == 0, $"instance processes outlived the test: {string.Join(", ", left)}");
    }
}
