using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Delivery.Integration.Tests.Infrastructure;

/// <summary>
/// Standalone processes that share one RabbitMQ virtual host (so one orchestrator queue, whose
/// messages they compete for) and one Redis key prefix, plus a recorder of StageCompleted events.
/// Processes can be killed and replaced; the logs of all of them, dead ones included, stay readable.
/// </summary>
public sealed class DeliveryCluster : IAsyncDisposable
{
    private readonly RedisServerFixture _redis;
    private readonly RabbitMqServerFixture _rabbit;
    private readonly ITestOutputHelper _output;
    private readonly StandaloneProcess?[] _slots;
    private readonly List<StandaloneProcess> _all = [];
    private readonly string _logDirectory;
    private int _started;

    private readonly IReadOnlyDictionary<string, string> _extraSettings;

    private DeliveryCluster(RedisServerFixture redis, RabbitMqServerFixture rabbit, ITestOutputHelper output, int size, string virtualHost,
        IReadOnlyDictionary<string, string>? settings)
    {
        _extraSettings = settings ?? new Dictionary<string, string>();
        _redis = redis;
        _rabbit = rabbit;
        _output = output;
        _slots = new StandaloneProcess?[size];
        VirtualHost = virtualHost;
        KeyPrefix = RedisServerFixture.NewKeyPrefix();
        _logDirectory = Machine.TempDirectory("cluster");
    }

    public string VirtualHost { get; }

    public string KeyPrefix { get; }

    public StageCompletedRecorder Events { get; private set; } = null!;

    public int Size => _slots.Length;

    /// <summary>Starts <paramref name="size"/> processes; <paramref name="settings"/> add to (or override) the cluster's configuration.</summary>
    public static async Task<DeliveryCluster> StartAsync(RedisServerFixture redis, RabbitMqServerFixture rabbit, ITestOutputHelper output, int size = 2,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var cluster = new DeliveryCluster(redis, rabbit, output, size, await rabbit.CreateVirtualHostAsync(), settings);
        try
        {
            var vhost = watch.Elapsed;
            cluster.Events = await StageCompletedRecorder.StartAsync(rabbit.Port, cluster.VirtualHost);
            await Task.WhenAll(Enumerable.Range(0, size).Select(cluster.StartSlotAsync));
            cluster.TryWrite($"cluster of {size} started in {watch.Elapsed.TotalSeconds:0.0} s (virtual host {vhost.TotalSeconds:0.0} s)");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public StandaloneProcess Process(int slot) => _slots[slot] ?? throw new InvalidOperationException($"Slot {slot} has no running process.");

    public DeliveryClient Client(int slot) => Process(slot).Client;

    /// <summary>The process in <paramref name="slot"/>, or null while the slot is empty (killed, not yet healthy again).</summary>
    public StandaloneProcess? TryProcess(int slot) => Volatile.Read(ref _slots[slot]);

    /// <summary>SIGKILLs the process in <paramref name="slot"/>, leaving the slot empty.</summary>
    public async Task KillAsync(int slot)
    {
        var process = Process(slot);
        _slots[slot] = null;
        await process.KillAsync();
    }

    /// <summary>Starts a new process in an empty slot and waits until it consumes from the queue.</summary>
    public async Task StartSlotAsync(int slot)
    {
        if (_slots[slot] is not null)
        {
            throw new InvalidOperationException($"Slot {slot} has a process already.");
        }
        // As a supervisor (Docker's restart policy, Kubernetes) does, a process that exits before it is healthy (its bus
        // could not start while the broker was down: Delivery:Bus:StartTimeoutSeconds) is started again.
        for (var attempt = 1; ; attempt++)
        {
            var generation = Interlocked.Increment(ref _started);
            var process = StandaloneProcess.Start($"delivery-{slot}-{generation}", Settings(), _logDirectory);
            lock (_all)
            {
                _all.Add(process);
            }
            try
            {
                await process.WaitHealthyAsync(TimeSpan.FromSeconds(180));
                _slots[slot] = process;
                return;
            }
            catch (InvalidOperationException e) when (attempt < 5 && process.HasExited)
            {
                TryWrite($"{process.Name} exited before it was healthy; starting slot {slot} again: {e.Message.Split('\n')[0]}");
            }
        }
    }

    private Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>
        {
            ["Delivery:Bus:Transport"] = "RabbitMq",
            ["Delivery:Bus:Host"] = "127.0.0.1",
            ["Delivery:Bus:Port"] = _rabbit.Port.ToString(CultureInfo.InvariantCulture),
            ["Delivery:Bus:VirtualHost"] = VirtualHost,
            ["Delivery:Store:Kind"] = "Redis",
            ["Delivery:Store:Redis"] = _redis.Configuration,
            ["Delivery:Store:KeyPrefix"] = KeyPrefix,
            ["Delivery:Orchestrator:TimerLeaseMs"] = "3000",
            ["Delivery:Bus:StartTimeoutSeconds"] = "45",
        };
        foreach (var (key, value) in _extraSettings)
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>The warnings and errors every process of the cluster logged, for failure messages.</summary>
    public string Problems(int maxLines = 60)
    {
        var text = new StringBuilder();
        List<StandaloneProcess> all;
        lock (_all)
        {
            all = [.. _all];
        }
        foreach (var process in all)
        {
            string[] lines;
            try
            {
                using var stream = new FileStream(process.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                lines = new StreamReader(stream).ReadToEnd().Split('\n');
            }
            catch (IOException)
            {
                continue;
            }
            var problems = new List<string>();
            for (var i = 0; i < lines.Length; i++)
            {
                if ((lines[i].StartsWith("warn:", StringComparison.Ordinal) || lines[i].StartsWith("fail:", StringComparison.Ordinal) || lines[i].StartsWith("crit:", StringComparison.Ordinal))
                    && !lines[i].Contains("HealthChecks", StringComparison.Ordinal))
                {
                    // The category line, then the message and the first lines of an exception.
                    var entry = new StringBuilder(lines[i].TrimEnd());
                    for (var j = i + 1; j < lines.Length && j <= i + 4 && lines[j].StartsWith(' '); j++)
                    {
                        entry.Append(" | ").Append(lines[j].Trim());
                    }
                    problems.Add(entry.ToString());
                }
            }
            if (problems.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"--- {process.Name} ({problems.Count} warnings/errors)\n");
                foreach (var line in problems.TakeLast(maxLines))
                {
                    text.Append(line).Append('\n');
                }
            }
        }
        return text.Length == 0 ? "(no process logged a warning)" : text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        List<StandaloneProcess> all;
        lock (_all)
        {
            all = [.. _all];
        }
        await Task.WhenAll(all.Select(p => p.DisposeAsync().AsTask()));
        if (Events is not null)
        {
            await Events.DisposeAsync();
        }
        TryWrite($"process warnings and errors:\n{Problems()}");
        if (Environment.GetEnvironmentVariable("DELIVERY_IT_KEEP_LOGS") == "1")
        {
            TryWrite($"process logs kept in {_logDirectory}");
        }
        else
        {
            Machine.DeleteDirectory(_logDirectory);
        }
    }

    private void TryWrite(string text)
    {
        try
        {
            _output.WriteLine(text);
        }
        catch (InvalidOperationException)
        {
            // The test is over: nowhere to write.
        }
    }
}
