using System.Diagnostics;
using Delivery.Integration.Tests.Infrastructure;

namespace Delivery.Integration.Tests.Distributed;

/// <summary>
/// The faults of the fault test: SIGKILLs of random replicas, each replaced after a short random
/// delay, always leaving one replica alive for the client, and RabbitMQ restarts spread over the
/// kills. Records the broker outages (from the stop until every live replica is healthy again).
/// </summary>
public sealed class FaultStorm(DeliveryCluster cluster, RabbitMqServerFixture rabbit, Random random)
{
    private readonly List<(long From, long To)> _outages = [];
    private readonly List<double> _restartSeconds = [];
    private int _brokerKills;

    public int Kills => KillTimes.Count;

    /// <summary>When each kill happened, in Unix milliseconds.</summary>
    public List<long> KillTimes { get; } = [];

    /// <summary>Broker outages, in Unix milliseconds like the executions' times.</summary>
    public IReadOnlyList<(long From, long To)> Outages => _outages;

    /// <summary>
    /// Kills until <paramref name="kills"/> kills are done (or <paramref name="limit"/> is spent),
    /// restarting the broker <paramref name="brokerRestarts"/> times on the way; returns once every
    /// replica is back.
    /// </summary>
    public async Task RunAsync(int kills, int brokerRestarts, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        // The broker restarts go at fixed shares of the kills; their downtimes are drawn up front (Random is not thread-safe).
        var brokerAfter = Enumerable.Range(1, brokerRestarts).Select(i => kills * i / (brokerRestarts + 1)).ToList();
        var replacements = new List<Task>();
        Task broker = Task.CompletedTask;
        while (Kills < kills && watch.Elapsed < limit)
        {
            await Task.Delay(random.Next(600, 1_800));
            if (brokerAfter.Count > 0 && Kills >= brokerAfter[0] && broker.IsCompleted)
            {
                brokerAfter.RemoveAt(0);
                broker = RestartBrokerAsync(TimeSpan.FromMilliseconds(random.Next(200, 1_500)));
            }
            var live = Enumerable.Range(0, cluster.Size).Where(slot => cluster.TryProcess(slot) is not null).ToList();
            if (live.Count < 2)
            {
                continue;
            }
            var victim = live[random.Next(live.Count)];
            await cluster.KillAsync(victim);
            KillTimes.Add(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            replacements.Add(ReplaceAsync(victim, TimeSpan.FromMilliseconds(random.Next(0, 1_500))));
        }
        await broker;
        await Task.WhenAll(replacements);
    }

    public string Describe() =>
        $"{Kills} kills, replicas healthy again {_restartSeconds.Average():0.0} s (at most {_restartSeconds.Max():0.0} s) after their kill; "
        + $"{_outages.Count} broker restarts ({_brokerKills} killed after rabbitmqctl stop failed), "
        + $"out for {string.Join(" and ", _outages.Select(o => $"{(o.To - o.From) / 1000.0:0.0} s"))}";

    private async Task ReplaceAsync(int slot, TimeSpan delay)
    {
        var watch = Stopwatch.StartNew();
        await Task.Delay(delay);
        await cluster.StartSlotAsync(slot);
        lock (_restartSeconds)
        {
            _restartSeconds.Add(watch.Elapsed.TotalSeconds);
        }
    }

    private async Task RestartBrokerAsync(TimeSpan downtime)
    {
        var from = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (!await rabbit.RestartAsync(downtime))
        {
            Interlocked.Increment(ref _brokerKills);
        }
        // The outage lasts until the replicas' buses have reconnected: their health check includes the bus.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            var live = Enumerable.Range(0, cluster.Size).Select(cluster.TryProcess).OfType<StandaloneProcess>().ToList();
            var healthy = await Task.WhenAll(live.Select(async p =>
            {
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{p.Port}/health"));
                    return response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }));
            if (healthy.All(h => h))
            {
                break;
            }
            await Task.Delay(100);
        }
        _outages.Add((from, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }
}
