namespace Delivery.Bench;

/// <summary>Command line of the benchmark; <c>bench/run</c> passes the server and the ports of the Redis and RabbitMQ it started.</summary>
public sealed record BenchOptions
{
    public required string ServerDll { get; init; }

    /// <summary>Gate's and the orchestrator's own hosts, for the topology of separate processes.</summary>
    public required string GateDll { get; init; }

    public required string OrchestratorDll { get; init; }

    public required string LogDirectory { get; init; }

    /// <summary>samples/hello, deployed by the local-cloud scenario (built by bench/run).</summary>
    public required string HelloDll { get; init; }

    public bool Quick { get; init; }

    public bool StandaloneOnly { get; init; }

    public string? Redis { get; init; }

    public int? RabbitPort { get; init; }

    /// <summary>Scenarios to run (floor, cold-start, load, latency, chain-load, gets, events, local-cloud, k8s-inventory); empty means all. For profiling.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    /// <summary>Also time GET /health and GET of a missing execution, to split api_get_execution_ms into its parts.</summary>
    public bool Breakdown { get; init; }

    /// <summary>Overrides how long the concurrent GETs run (for attaching a profiler).</summary>
    public double? GetSeconds { get; init; }

    /// <summary>Extra environment for the server (experiments such as DOTNET_gcServer=0); never set by bench/run.</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>A file that also receives the figures and the table.</summary>
    public string? Output { get; init; }

    /// <summary>Delay between polls while measuring latency (0 = one GET after another).</summary>
    public double LatencyPollMs { get; init; }

    public const string Usage = """
        usage: Delivery.Bench [--server-dll PATH] [--gate-dll PATH] [--orchestrator-dll PATH]
                              [--quick] [--standalone-only | --redis HOST:PORT --rabbit-port PORT]
                              [--log-dir DIR] [--output FILE] [--latency-poll-ms MS]
                              [--only floor,cold-start,load,latency,chain-load,gets,events,local-cloud,k8s-inventory] [--breakdown] [--get-seconds S]
                              [--server-env KEY=VALUE]...
        Normally run through bench/run, which builds everything and starts Redis and RabbitMQ.
        """;

    public static BenchOptions Parse(string[] args)
    {
        var root = RepositoryRoot();
        string? dll = null, gateDll = null, orchestratorDll = null, logs = null, redis = null, output = null;
        int? rabbit = null;
        bool quick = false, standaloneOnly = false, breakdown = false;
        var only = new HashSet<string>();
        double? getSeconds = null;
        var serverEnv = new Dictionary<string, string>();
        double latencyPoll = 0;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--server-dll": dll = Path.GetFullPath(Value()); break;
                case "--gate-dll": gateDll = Path.GetFullPath(Value()); break;
                case "--orchestrator-dll": orchestratorDll = Path.GetFullPath(Value()); break;
                case "--log-dir": logs = Path.GetFullPath(Value()); break;
                case "--output": output = Path.GetFullPath(Value()); break;
                case "--quick": quick = true; break;
                case "--standalone-only": standaloneOnly = true; break;
                case "--redis": redis = Value(); break;
                case "--rabbit-port": rabbit = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--only": only.UnionWith(Value().Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                case "--breakdown": breakdown = true; break;
                case "--server-env":
                    var pair = Value().Split('=', 2);
                    serverEnv[pair[0]] = pair.Length > 1 ? pair[1] : throw new ArgumentException("--server-env needs KEY=VALUE.");
                    break;
                case "--get-seconds": getSeconds = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--latency-poll-ms": latencyPoll = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "-h" or "--help": throw new ArgumentException(Usage);
                default: throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}");
            }
        }
        if (!standaloneOnly && (redis is null || rabbit is null))
        {
            throw new ArgumentException($"The distributed mode needs --redis and --rabbit-port (bench/run starts both), or pass --standalone-only.\n{Usage}");
        }
        dll = Existing(dll ?? Path.Combine(root ?? ".", "services", "standalone", "bin", "Release", "net10.0", "Delivery.Standalone.dll"));
        gateDll = standaloneOnly ? "" : Existing(gateDll
            ?? Path.Combine(root ?? ".", "services", "gate", "Delivery.Gate.Host", "bin", "Release", "net10.0", "Delivery.Gate.Host.dll"));
        orchestratorDll = standaloneOnly ? "" : Existing(orchestratorDll
            ?? Path.Combine(root ?? ".", "services", "orchestrator", "Delivery.Orchestrator.Host", "bin", "Release", "net10.0", "Delivery.Orchestrator.Host.dll"));
        return new BenchOptions
        {
            ServerDll = dll,
            GateDll = gateDll,
            OrchestratorDll = orchestratorDll,
            LogDirectory = logs ?? Path.Combine(root ?? Path.GetTempPath(), ".bench", "logs"),
            HelloDll = Path.Combine(root ?? ".", "samples", "hello", "bin", "Release", "net10.0", "hello.dll"),
            Quick = quick,
            StandaloneOnly = standaloneOnly,
            Redis = redis,
            RabbitPort = rabbit,
            Output = output,
            Only = only,
            Breakdown = breakdown,
            GetSeconds = getSeconds,
            ServerEnvironment = serverEnv,
            LatencyPollMs = latencyPoll,
        };
    }

    private static string Existing(string dll) => File.Exists(dll) ? dll
        : throw new ArgumentException($"{dll} does not exist: build it first (dotnet build -c Release bench/Delivery.Bench), or use bench/run.");

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Delivery.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
