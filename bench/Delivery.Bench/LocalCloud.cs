using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Delivery.Bench;

/// <summary>
/// Clouddriver's figures on the <c>local</c> cloud, through gate's API and the balancer's URL as a user
/// sees them: <c>inventory_freshness_ms</c> (an instance killed -> shown Down in the read API),
/// <c>rollback_traffic_ms</c> (rollback stage start -> every request answered by the restored
/// version) and <c>redblack_overhead_ms</c> (a red/black deploy's wall time minus its
/// createServerGroup task, which waits for the new instances to be Up).
/// </summary>
/// <remarks>Deploys <c>samples/hello</c>, which <c>bench/run</c> builds; every server group and the balancer are destroyed at the end.</remarks>
public sealed class LocalCloud(Report report, DeliveryApi api, Uri gate, string helloDll, bool quick, Action<string> progress)
{
    private const string Application = "benchcd";
    private const string Stack = "web";
    private const string Cluster = $"{Application}-{Stack}";
    private const string Balancer = $"{Application}-{Stack}";
    private const string Account = "local";

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = gate, Timeout = TimeSpan.FromSeconds(30) };

    public async Task RunAsync()
    {
        if (!File.Exists(helloDll))
        {
            throw new BenchException($"{helloDll} is missing: dotnet build samples/hello -c Release (bench/run does).");
        }
        var url = await UpsertBalancerAsync();
        await api.SavePipelineAsync(Application, "deploy", [Deploy()], Parameters("version"));
        await api.SavePipelineAsync(Application, "rollback", [Rollback()]);
        try
        {
            await DeployAsync("v0");
            await InstanceDownAsync(quick ? 3 : 10);
            await RedBlackAndRollbackAsync(url, quick ? 2 : 5);
        }
        finally
        {
            await CleanUpAsync();
        }
    }

    /// <summary>Kills an Up instance's process and polls the read API until it shows the instance Down (or gone).</summary>
    private async Task InstanceDownAsync(int count)
    {
        progress($"local cloud: inventory freshness, {count} instance kills");
        var down = new Samples();
        for (var i = 0; i < count; i++)
        {
            await WaitAsync(async () => (await UpInstancesAsync()).Count >= 2, TimeSpan.FromSeconds(60), "two Up instances");
            var (id, pid) = (await UpInstancesAsync())[0];
            var killed = Stopwatch.GetTimestamp();
            using (var process = Process.GetProcessById(pid))
            {
                process.Kill();
            }
            await WaitAsync(async () => !(await UpInstancesAsync()).Any(x => x.Id == id), TimeSpan.FromSeconds(10), $"instance {id} shown Down");
            down.Add(Stopwatch.GetElapsedTime(killed).TotalMilliseconds);
        }
        report.Add("inventory_freshness_ms.instance_down.p50", down.P50, "ms", "0");
        report.Add("inventory_freshness_ms.instance_down.p99", down.P99, "ms", "0");
        report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"local cloud: inventory_freshness_ms = kill -9 of an Up instance of samples/hello -> GET /applications/{Application}/serverGroups no longer shows it Up (polled back to back), {down.Count} kills; min {down.Min:0}, max {down.Max:0} ms"));
    }

    /// <summary>Red/black deploys of new versions, each followed by a rollback, while a client reads the balancer.</summary>
    private async Task RedBlackAndRollbackAsync(Uri balancer, int rounds)
    {
        progress($"local cloud: {rounds} red/black deploys and rollbacks under a steady client");
        var (overhead, rollback) = (new Samples(), new Samples());
        var served = new List<(long AtMs, string Version, bool Failed)>();
        using var stop = new CancellationTokenSource();
        var client = Task.Run(() => ReadBalancerAsync(balancer, served, stop.Token));
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                // The rollback restores the newest group older than the one it rolls back: the previous round's.
                var previous = $"v{round - 1}";
                overhead.Add(RedBlackOverheadMs(await DeployAsync($"v{round}")));

                var id = await api.TriggerAsync(Application, "rollback");
                var (document, _, _) = await api.WaitForCompletionAsync(id, new PollPolicy(10, 10, 1.5, 100), TimeSpan.FromSeconds(60));
                var stageStart = ExecutionView.Parse(document).Stages.First(s => s.Type == "rollbackServerGroup").StartTime!.Value;
                await Task.Delay(300);
                List<(long AtMs, string Version, bool Failed)> seen;
                lock (served)
                {
                    seen = [.. served.Where(s => s.AtMs >= stageStart)];
                }
                var lastOther = seen.LastOrDefault(s => s.Version != previous);
                rollback.Add(lastOther.Version is null ? 0 : lastOther.AtMs - stageStart);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await client;
        }
        var failed = served.Count(s => s.Failed);
        report.Add("redblack_overhead_ms.p50", overhead.P50, "ms", "0");
        report.Add("rollback_traffic_ms.p50", rollback.P50, "ms", "0");
        report.Add("rollback_traffic_ms.p99", rollback.P99, "ms", "0");
        report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"local cloud: {rounds} red/black deploys of 2 instances (overhead = execution wall time minus its createServerGroup task, which waits for the new instances to be Up; max {overhead.Max:0} ms) "
            + $"and {rounds} rollbacks (rollback stage start -> last response from the rolled-back version; max {rollback.Max:0} ms); "
            + $"a client read the balancer {served.Count} times during them, {failed} failed"));
    }

    /// <summary>
    /// The execution's wall time minus its <c>createServerGroup</c> task, which sends the operation and
    /// is woken when every new instance is Up: what the strategy (disable the old group, waits, engine
    /// hops) adds on top of starting the new processes.
    /// </summary>
    private static double RedBlackOverheadMs(byte[] document)
    {
        var execution = JsonNode.Parse(document)!;
        var task = execution["stages"]!.AsArray()
            .Where(s => s!["type"]!.GetValue<string>() == "createServerGroup")
            .SelectMany(s => s!["tasks"]!.AsArray())
            .First(t => t!["name"]!.GetValue<string>() == "createServerGroup")!;
        return (execution["endTime"]!.GetValue<long>() - execution["startTime"]!.GetValue<long>())
            - (task["endTime"]!.GetValue<long>() - task["startTime"]!.GetValue<long>());
    }

    private async Task ReadBalancerAsync(Uri balancer, List<(long, string, bool)> served, CancellationToken stop)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        while (!stop.IsCancellationRequested)
        {
            string version;
            var failed = false;
            try
            {
                using var response = await http.GetAsync(balancer, stop);
                failed = response.StatusCode != HttpStatusCode.OK;
                version = JsonNode.Parse(await response.Content.ReadAsStringAsync(stop))?["version"]?.GetValue<string>() ?? "?";
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException)
            {
                (version, failed) = ("?", true);
            }
            lock (served)
            {
                served.Add((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), version, failed));
            }
        }
    }

    /// <summary>Runs the deploy pipeline for <paramref name="version"/> and returns the finished execution.</summary>
    private async Task<byte[]> DeployAsync(string version)
    {
        var id = await api.TriggerAsync(Application, "deploy", new JsonObject { ["parameters"] = new JsonObject { ["version"] = version } });
        return (await api.WaitForCompletionAsync(id, new PollPolicy(10, 10, 1.5, 100), TimeSpan.FromSeconds(120))).Document;
    }

    private async Task<Uri> UpsertBalancerAsync()
    {
        var result = await OperationAsync("upsertLoadBalancer", new JsonObject { ["account"] = Account, ["name"] = Balancer });
        return new Uri(JsonNode.Parse(result["resultJson"]!.GetValue<string>())!["url"]!.GetValue<string>());
    }

    private async Task CleanUpAsync()
    {
        foreach (var group in (await ServerGroupsAsync()).Select(g => g!["name"]!.GetValue<string>()))
        {
            await OperationAsync("destroyServerGroup", new JsonObject { ["account"] = Account, ["serverGroupName"] = group });
        }
        await OperationAsync("deleteLoadBalancer", new JsonObject { ["account"] = Account, ["name"] = Balancer });
    }

    private async Task<JsonObject> OperationAsync(string type, JsonObject body)
    {
        using var response = await _http.PostAsync($"/clouddriver/ops/{type}", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK
            ? JsonNode.Parse(text)!.AsObject()
            : throw new BenchException($"{type} answered {(int)response.StatusCode}: {text}");
    }

    private async Task<JsonArray> ServerGroupsAsync()
    {
        using var response = await _http.GetAsync($"/applications/{Application}/serverGroups");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    /// <summary>The Up instances of the cluster's enabled server groups: (instance id, pid).</summary>
    private async Task<List<(string Id, int Pid)>> UpInstancesAsync() =>
        [.. (await ServerGroupsAsync())
            .Where(g => g!["cluster"]!.GetValue<string>() == Cluster && !g["disabled"]!.GetValue<bool>())
            .SelectMany(g => g!["instances"]!.AsArray())
            .Where(i => i!["health"]!.GetValue<string>() == "Up" && i["pid"] is not null)
            .Select(i => (i!["id"]!.GetValue<string>(), i["pid"]!.GetValue<int>()))];

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new BenchException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            }
        }
    }

    private JsonObject Deploy() => new()
    {
        ["refId"] = "1",
        ["type"] = "deploy",
        ["clusters"] = new JsonArray(new JsonObject
        {
            ["cloudProvider"] = Account,
            ["account"] = Account,
            ["application"] = Application,
            ["stack"] = Stack,
            ["capacity"] = new JsonObject { ["min"] = 2, ["max"] = 2, ["desired"] = 2 },
            ["strategy"] = "redblack",
            ["maxRemainingAsgs"] = 3,
            ["loadBalancers"] = new JsonArray(Balancer),
            ["artifact"] = new JsonObject { ["command"] = "dotnet", ["args"] = new JsonArray(helloDll) },
            ["env"] = new JsonObject { ["VERSION"] = "${parameters.version}" },
        }),
    };

    private static JsonObject Rollback() => new()
    {
        ["refId"] = "1",
        ["type"] = "rollbackServerGroup",
        ["credentials"] = Account,
        ["cluster"] = Cluster,
        ["target"] = "current_asg_dynamic",
    };

    private static JsonArray Parameters(params string[] names) =>
        [.. names.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["required"] = true })];
}
