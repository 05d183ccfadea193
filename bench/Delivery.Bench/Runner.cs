using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Delivery.Bench;

/// <summary>Runs every scenario in each mode and collects the figures.</summary>
public sealed partial class Runner(BenchOptions options)
{
    /// <summary>Sample counts and durations of one mode.</summary>
    private sealed record Plan(
        int ColdStarts,
        int LoadTotal,
        int LoadWarmup,
        int ChainLoadTotal,
        int ChainLoadWarmup,
        int LatencyWarmup,
        int LatencyCount,
        TimeSpan GetWarmup,
        TimeSpan GetDuration);

    private const int InFlight = 64;
    private const int Orchestrators = 2;
    private const int GetClients = 16;
    private const int RssExecutions = 10_000;

    /// <summary>Polling while 64 executions are in flight: first look after 5 ms, then back off to at most 40 ms between looks.</summary>
    private static readonly PollPolicy LoadPolling = new(5, 5, 2, 40);

    private readonly Report _report = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _runId = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    public async Task<int> RunAsync()
    {
        var loadAtStart = LoadAverage();
        foreach (var (key, value) in options.ServerEnvironment)
        {
            _report.Notes.Add($"experiment: the server ran with {key}={value}");
        }
        Progress($"server: {options.ServerDll}; logs: {options.LogDirectory}; load average {loadAtStart}");
        var modes = new List<string> { "standalone" };
        if (!options.StandaloneOnly)
        {
            modes.Add("distributed");
            modes.Add("separate");
        }
        foreach (var mode in modes)
        {
            try
            {
                await RunModeAsync(mode);
            }
            catch (Exception e)
            {
                // Whatever went wrong, the figures measured so far are still printed, and the exit code says it failed.
                _report.Errors.Add($"{mode}: {e.Message}");
                Progress($"{mode} failed: {e}");
            }
        }
        ReportFloorRatios();
        _report.Notes.Add($"load average (1/5/15 min) at the start {loadAtStart}, at the end {LoadAverage()}; {Environment.ProcessorCount} cores; server logs in {options.LogDirectory}");
        Progress($"done in {_clock.Elapsed.TotalSeconds:0} s");
        _report.Print(Console.Out, modes);
        if (options.Output is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await using var writer = new StreamWriter(file);
            _report.Print(writer, modes);
        }
        return _report.Errors.Count == 0 ? 0 : 1;
    }

    private Plan PlanFor(string mode) => (mode, options.Quick) switch
    {
        ("standalone", false) => new(5, RssExecutions, 3_000, 1_500, 300, 20, 200, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
        ("standalone", true) => new(2, RssExecutions, 3_000, 400, 100, 10, 50, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2)),
        (_, false) => new(0, 5_000, 2_000, 600, 150, 10, 100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
        (_, true) => new(0, 1_500, 500, 200, 50, 5, 30, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2)),
    };

    /// <summary>Warm-up and measured calls of each floor measurement.</summary>
    private (int Warmup, int Count) FloorPlan => options.Quick ? (100, 500) : (200, 2_000);

    private Dictionary<string, string> EnvironmentFor(string mode)
    {
        var environment = new Dictionary<string, string>(options.ServerEnvironment);
        if (mode == "standalone")
        {
            return environment;
        }
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Delivery__Bus__Transport"] = "RabbitMq",
            ["Delivery__Bus__Host"] = "127.0.0.1",
            ["Delivery__Bus__Port"] = options.RabbitPort!.Value.ToString(CultureInfo.InvariantCulture),
            ["Delivery__Store__Kind"] = "Redis",
            ["Delivery__Store__Redis"] = options.Redis!,
            ["Delivery__Store__KeyPrefix"] = $"bench-{_runId}-{mode}:",
        })
        {
            environment[key] = value;
        }
        return environment;
    }

    private bool Runs(string scenario) => options.Only.Count == 0 || options.Only.Contains(scenario);

    private async Task RunModeAsync(string mode)
    {
        var plan = PlanFor(mode);
        var environment = EnvironmentFor(mode);
        var standalone = mode == "standalone";

        if (standalone && Runs("cold-start"))
        {
            await ColdStartAsync(plan, environment);
        }
        if (mode == "distributed" && Runs("floor"))
        {
            // Before any Delivery process runs: the broker and Redis alone, as fast as this machine allows.
            await FloorAsync();
        }

        Progress(mode == "separate"
            ? $"{mode}: starting {Orchestrators} orchestrator hosts, then the gate host"
            : $"{mode}: starting the server");
        var started = Stopwatch.GetTimestamp();
        await using var server = mode == "separate"
            ? await Deployment.SeparateAsync(options.GateDll, options.OrchestratorDll, Orchestrators, environment, name => LogPath($"{mode}-{name}"))
            : await Deployment.SingleAsync(options.ServerDll, environment, LogPath(mode));
        Progress($"{mode}: healthy after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms (pids {server.Pids})");
        using var api = new DeliveryApi(server.Front.BaseAddress);

        if (standalone && Runs("load"))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            _report.Add("rss_mb.idle", server.Front.RssMb(), "MB");
        }

        foreach (var (name, stages) in Pipelines.All(InFlight))
        {
            await api.SavePipelineAsync(Pipelines.Application, name, stages);
        }

        if (Runs("load"))
        {
            // Sustained single-stage executions; in standalone these are the 10,000 the memory figure is taken after.
            Progress($"{mode}: {plan.LoadTotal} single-stage executions, {InFlight} in flight");
            var cpu = server.CpuMs();
            var load = await Scenarios.ClosedLoopAsync(api, Pipelines.Single, plan.LoadTotal, plan.LoadWarmup, InFlight, LoadPolling,
                TimeSpan.FromSeconds(standalone ? 150 : 90), n => Progress($"{mode}:   {n} completed"));
            ReportLoad(mode, "", load);
            _report.Add($"server_cpu_ms_per_execution.{mode}", (server.CpuMs() - cpu) / load.Completed, "ms", "0.00");
            if (standalone)
            {
                if (load.Completed < RssExecutions)
                {
                    throw new BenchException($"only {load.Completed} of {RssExecutions} executions completed in time; rss_mb.after_10000 not measured.");
                }
                await Task.Delay(TimeSpan.FromSeconds(2));
                _report.Add("rss_mb.after_10000", server.Front.RssMb(), "MB");
                _report.Add("rss_mb.peak", server.Front.PeakRssMb(), "MB");
                var kept = await api.CountExistingAsync(load.FirstWorkerIds);
                _report.Notes.Add($"standalone: retention: of the {load.FirstWorkerIds.Count} executions client 0 ran on its copy of the pipeline the server still has {kept} "
                    + $"(default Delivery:Orchestrator:ExecutionsPerPipeline); {InFlight} clients, one copy each");
            }
        }

        if (Runs("latency"))
        {
            // One execution at a time.
            var poll = options.LatencyPollMs > 0 ? new PollPolicy(options.LatencyPollMs, options.LatencyPollMs, 1, options.LatencyPollMs) : PollPolicy.BackToBack;
            Progress($"{mode}: latency, {plan.LatencyCount} executions of each pipeline, one at a time");
            var chain1 = await Scenarios.SequentialAsync(api, Pipelines.Single, plan.LatencyWarmup, plan.LatencyCount, poll);
            var chain10 = await Scenarios.SequentialAsync(api, Pipelines.Chain10, plan.LatencyWarmup, plan.LatencyCount, poll);
            var fanout = await Scenarios.SequentialAsync(api, Pipelines.Fanout10, plan.LatencyWarmup, plan.LatencyCount, poll);
            ReportLatency(mode, chain1, chain10, fanout);
        }

        if (Runs("events"))
        {
            await EventLatency.RunAsync(_report, mode, server.Front.BaseAddress, api, plan.LatencyWarmup, plan.LatencyCount);
        }

        if (Runs("chain-load"))
        {
            Progress($"{mode}: {plan.ChainLoadTotal} chain10 executions, {InFlight} in flight");
            var cpu = server.CpuMs();
            var chainLoad = await Scenarios.ClosedLoopAsync(api, Pipelines.Chain10, plan.ChainLoadTotal, plan.ChainLoadWarmup, InFlight, LoadPolling,
                TimeSpan.FromSeconds(standalone ? 40 : 60));
            ReportLoad(mode, ".chain10", chainLoad);
            _report.Add($"server_cpu_ms_per_execution.{mode}.chain10", (server.CpuMs() - cpu) / chainLoad.Completed, "ms", "0.00");
        }

        if (Runs("gets"))
        {
            await GetsAsync(mode, plan, api, server);
        }

        if (standalone && Runs("local-cloud"))
        {
            await new LocalCloud(_report, api, server.Front.BaseAddress, options.HelloDll, options.Quick, Progress).RunAsync();
        }

        if (standalone && Runs("k8s-inventory"))
        {
            // Its own server (with a Kubernetes account on a test API server) while this one idles.
            await new KubernetesInventory(_report,
                account => Deployment.SingleAsync(options.ServerDll, new Dictionary<string, string>(environment.Concat(account)), LogPath($"{mode}-k8s")),
                Path.Combine(options.LogDirectory, $"{_runId}-k8s"), options.Quick, Progress).RunAsync();
        }

        if (server.HasExited)
        {
            throw new BenchException("a server exited during the run; see its log.");
        }
    }

    private async Task ColdStartAsync(Plan plan, Dictionary<string, string> environment)
    {
        Progress($"standalone: cold start x{plan.ColdStarts} (+1 not counted, to warm the disk cache)");
        var samples = new Samples();
        var cpu = new Samples();
        for (var i = 0; i <= plan.ColdStarts; i++)
        {
            await using var server = ServerProcess.Start(options.ServerDll, environment, LogPath($"cold-start-{i}"));
            var ms = await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            if (i > 0)
            {
                samples.Add(ms);
                cpu.Add(server.CpuMs());
            }
        }
        _report.Add("cold_start_ms", samples.P50, "ms", "0");
        _report.Notes.Add($"cold_start_ms is the median of {samples.Count} starts (min {samples.Min:0}, max {samples.Max:0} ms); the server had used {cpu.P50:0} ms of CPU (median) when /health first answered");
    }

    private async Task FloorAsync()
    {
        var (warmup, count) = FloorPlan;
        var port = options.RabbitPort!.Value;
        Progress($"floor: {count} MassTransit publish -> consume hops, {count} with RabbitMQ.Client alone, {count} Redis script calls, one at a time");
        var bus = await Floor.MassTransitAsync(port, warmup, count);
        var raw = await Floor.RabbitMqClientAsync(port, warmup, count);
        var redis = await Floor.RedisScriptAsync(options.Redis!, $"bench-{_runId}-floor:", warmup, count);
        _report.Add("floor_bus_roundtrip_ms.p50", bus.P50, "ms", "0.00");
        _report.Add("floor_bus_roundtrip_ms.p99", bus.P99, "ms", "0.00");
        _report.Add("floor_bus_roundtrip_ms.rabbitmq_client.p50", raw.P50, "ms", "0.00");
        _report.Add("floor_bus_roundtrip_ms.rabbitmq_client.p99", raw.P99, "ms", "0.00");
        _report.Add("floor_redis_script_ms.p50", redis.P50, "ms", "0.00");
        _report.Add("floor_redis_script_ms.p99", redis.P99, "ms", "0.00");
        _report.Add("floor_per_stage_ms", bus.P50 + redis.P50, "ms", "0.00");
        _report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"floor: {count} of each after {warmup} warm-up, one at a time, no Delivery process running; bus = persistent publish with confirm to a durable queue until the consumer runs "
            + $"(MassTransit {PackageVersion(typeof(MassTransit.IBus))}, Delivery's JSON settings, prefetch and concurrency; means {bus.Mean:0.00} / RabbitMQ.Client alone {raw.Mean:0.00} ms); "
            + $"Redis = EVALSHA of a compare-and-set script shaped like the engine's save with {Floor.RedisPayload} (StackExchange.Redis "
            + $"{PackageVersion(typeof(StackExchange.Redis.ConnectionMultiplexer))}; mean {redis.Mean:0.00} ms); floor_per_stage_ms = bus p50 + Redis p50"));
    }

    /// <summary>The version of the package a type comes from (its informational version, without a commit hash).</summary>
    private static string? PackageVersion(Type type) =>
        type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];

    /// <summary>
    /// The engine's cost against the floor: per additional stage (the high-resolution
    /// <c>from_chain</c> cross-check) and for a whole chain10 execution against ten floors.
    /// </summary>
    private void ReportFloorRatios()
    {
        if (_report.Get("floor_per_stage_ms") is not { } floor)
        {
            return;
        }
        if (_report.Get("stage_transition_ms.distributed.from_chain") is { } stage)
        {
            _report.Add("stage_cost_over_floor", stage / floor, "x", "0.00");
        }
        foreach (var mode in new[] { "distributed", "separate" })
        {
            if (_report.Get($"chain10_ms.{mode}.p50") is { } chain10)
            {
                _report.Add(mode == "distributed" ? "chain10_over_floor" : $"chain10_over_floor.{mode}", chain10 / (10 * floor), "x", "0.00");
            }
        }
    }

    private void ReportLoad(string mode, string qualifier, Scenarios.LoadResult load)
    {
        _report.Add($"executions_per_s.{mode}{qualifier}", load.PerSecond, "1/s", "0");
        _report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{mode}: executions_per_s{qualifier} over {load.MeasuredExecutions} executions in {load.MeasuredSeconds:0.0} s ({load.Completed} run in {load.WallSeconds:0.0} s, {load.PollsPerExecution:0.0} polls each); "
            + $"per {load.BucketSize} in order: {string.Join(' ', load.BucketRates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} 1/s"));
    }

    private void ReportLatency(string mode, List<Scenarios.LatencySample> chain1, List<Scenarios.LatencySample> chain10, List<Scenarios.LatencySample> fanout)
    {
        var transitions = new Samples();
        foreach (var sample in chain10)
        {
            for (var i = 2; i <= 10; i++)
            {
                var previous = sample.Execution.Stage($"{i - 1}");
                var next = sample.Execution.Stage($"{i}");
                transitions.Add((next.StartTime ?? throw new BenchException("a stage has no startTime"))
                    - (previous.EndTime ?? throw new BenchException("a stage has no endTime")));
            }
        }
        var c1 = new Samples(chain1.Select(s => s.ClientMs));
        var c10 = new Samples(chain10.Select(s => s.ClientMs));
        var f10 = new Samples(fanout.Select(s => s.ClientMs));
        _report.Add($"stage_transition_ms.{mode}.p50", transitions.P50, "ms");
        _report.Add($"stage_transition_ms.{mode}.p99", transitions.P99, "ms");
        _report.Add($"stage_transition_ms.{mode}.from_chain", (c10.P50 - c1.P50) / 9, "ms", "0.00");
        _report.Add($"chain10_ms.{mode}.p50", c10.P50, "ms");
        _report.Add($"chain10_ms.{mode}.p99", c10.P99, "ms");
        _report.Add($"chain1_ms.{mode}.p50", c1.P50, "ms");
        _report.Add($"chain1_ms.{mode}.p99", c1.P99, "ms");
        _report.Add($"fanout10_ms.{mode}.p50", f10.P50, "ms");
        _report.Add($"fanout10_ms.{mode}.p99", f10.P99, "ms");

        // Server-side view from the documents' epoch-ms timestamps (1 ms resolution): trigger accepted (buildTime) to endTime.
        var server10 = new Samples(chain10.Select(s => (double)(s.Execution.EndTime!.Value - s.Execution.BuildTime!.Value)));
        var server1 = new Samples(chain1.Select(s => (double)(s.Execution.EndTime!.Value - s.Execution.BuildTime!.Value)));
        _report.Add($"chain10_ms.{mode}.server.p50", server10.P50, "ms");
        _report.Add($"chain1_ms.{mode}.server.p50", server1.P50, "ms");
        _report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{mode}: stage_transition_ms from {transitions.Count} transitions (epoch-ms timestamps, 1 ms resolution; mean {transitions.Mean:0.00} ms); "
            + $"latency from {chain10.Count} executions per pipeline, {chain10.Average(s => s.Polls):0.0} polls each for chain10"));
    }

    private string LogPath(string name) => Path.Combine(options.LogDirectory, $"{_runId}-{name}.log");

    private void Progress(string message) => Console.Error.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0}s] {message}");

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
