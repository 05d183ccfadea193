using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Local;

/// <summary>
/// The local cloud's state (server groups and load balancers of every local account) and its
/// supervisor: every probe interval it replaces dead instances, stops surplus ones and calls health
/// checks. On start it stops what a crashed host left running; on stop it stops every process and listener.
/// </summary>
public sealed class LocalCloud(IOptions<LocalProviderOptions> options, ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly LocalProviderOptions _options = options.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger<LocalCloud>();
    private readonly HttpClient _probeClient = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5) });
    private long _version;

    /// <summary>The provider's validated options.</summary>
    public LocalProviderOptions Options => _options;

    public ILoggerFactory LoggerFactory => loggerFactory;

    public PidFiles PidFiles { get; } = new(options.Value.StateDirectory, loggerFactory.CreateLogger<PidFiles>());

    /// <summary>Live server groups by account and name.</summary>
    public ConcurrentDictionary<(string Account, string Name), LocalServerGroup> ServerGroups { get; } = new();

    /// <summary>Running load balancers by account and name.</summary>
    public ConcurrentDictionary<(string Account, string Name), LocalLoadBalancer> LoadBalancers { get; } = new();

    /// <summary>Changes whenever routing may change (health, enabled, membership, weights); balancers rebuild their table when it does.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Changed() => Interlocked.Increment(ref _version);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var stopped = PidFiles.CleanUpOrphans();
        if (stopped > 0)
        {
            _logger.LogWarning("Stopped {Count} instance processes left by a host that did not shut down cleanly", stopped);
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.HealthProbeIntervalMs));
        do
        {
            foreach (var group in ServerGroups.Values)
            {
                try
                {
                    Reconcile(group);
                    foreach (var instance in group.Instances)
                    {
                        instance.Probe(_probeClient, group.HealthCheckPath, TimeSpan.FromMilliseconds(_options.HealthProbeTimeoutMs));
                    }
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "Supervising server group {ServerGroup} failed", group.Name);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Brings the running instances to the desired capacity: starts missing ones (backing off while
    /// new ones keep dying before they are Up), stops surplus ones, forgets dead ones once replaced.
    /// Throws what starting a process throws when <paramref name="throwOnStartFailure"/>.
    /// </summary>
    public void Reconcile(LocalServerGroup group, bool throwOnStartFailure = false)
    {
        var now = DateTimeOffset.UtcNow;
        // Counted before taking this group's lock: counting takes every group's lock in turn.
        var room = _options.MaxInstances - RunningInstances();
        lock (group.Sync)
        {
            if (group.Destroyed)
            {
                return;
            }
            var instances = group.MutableInstances;
            var desired = group.Capacity.Desired;
            CountCrashes(group, instances);
            var running = instances.Where(i => !i.Exited && !i.Stopping).ToList();
            if (running.Count < desired && (throwOnStartFailure || now >= group.NextStartAllowed))
            {
                for (var n = 0; n < Math.Min(desired - running.Count, room); n++)
                {
                    var instance = StartInstance(group, throwOnStartFailure);
                    if (instance is null)
                    {
                        break;
                    }
                    instances.Add(instance);
                }
                Changed();
            }
            else if (running.Count > desired)
            {
                // Stop the ones serving least first: not yet Up, then the newest.
                foreach (var surplus in running.OrderBy(i => i.Routable).ThenByDescending(i => i.LaunchTime).Take(running.Count - desired))
                {
                    _ = surplus.StopAsync(Drain);
                }
            }
            var upEnough = running.Count(i => i.Routable) >= desired;
            var retention = TimeSpan.FromSeconds(_options.DeadInstanceRetentionSeconds);
            instances.RemoveAll(i => i.Exited && (upEnough || now - i.ExitTime > retention));
        }
    }

    /// <summary>
    /// A crash loop (instances exiting before they are ever Up) waits longer before each new start:
    /// 0.5 s, 1 s, 2 s ... up to 30 s; an instance started after the last crash being Up ends it.
    /// </summary>
    private static void CountCrashes(LocalServerGroup group, List<LocalInstance> instances)
    {
        foreach (var crashed in instances.Where(i => i.Exited && !i.EverUp && !i.Stopping && !i.CountedAsCrash))
        {
            crashed.CountedAsCrash = true;
            group.StartFailures++;
            group.LastCrash = crashed.ExitTime ?? DateTimeOffset.UtcNow;
            group.NextStartAllowed = group.LastCrash + TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * Math.Pow(2, Math.Min(group.StartFailures - 1, 16))));
        }
        if (instances.Any(i => i.EverUp && i.LaunchTime > group.LastCrash))
        {
            group.StartFailures = 0;
        }
    }

    private LocalInstance? StartInstance(LocalServerGroup group, bool throwOnFailure)
    {
        var id = group.NextInstanceId();
        LocalInstance instance;
        try
        {
            instance = LocalInstance.Start(id, group.Spec.Artifact, group.Spec.Env, _options.ConsoleCharsPerStream, Changed);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            if (throwOnFailure)
            {
                throw Operations.OperationException.Failed($"Could not start '{group.Spec.Artifact.Command}' for server group {group.Name}: {e.Message}");
            }
            _logger.LogWarning(e, "Could not start an instance of {ServerGroup}", group.Name);
            group.StartFailures++;
            group.LastCrash = DateTimeOffset.UtcNow;
            group.NextStartAllowed = group.LastCrash + TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(group.StartFailures, 5))));
            return null;
        }
        var account = group.Account;
        PidFiles.Write(account, id, instance.Process);
        instance.Process.Exited += (_, _) => PidFiles.Delete(account, id);
        _logger.LogInformation("Started instance {InstanceId} of {ServerGroup}: pid {Pid}, port {Port}", id, group.Name, instance.Pid, instance.Port);
        return instance;
    }

    /// <summary>How long a stopping instance may finish the requests it has.</summary>
    public TimeSpan Drain => TimeSpan.FromMilliseconds(_options.DrainTimeoutMs);

    /// <summary>Instance processes running now over every server group.</summary>
    public int RunningInstances() => ServerGroups.Values.Sum(g => g.RunningCount);

    /// <summary>Stops every instance of the group and waits (bounded) until they exited.</summary>
    public async Task StopAsync(LocalServerGroup group, CancellationToken cancellationToken)
    {
        List<LocalInstance> instances;
        lock (group.Sync)
        {
            group.Destroyed = true;
            instances = [.. group.MutableInstances];
        }
        Changed();
        await Task.WhenAll(instances.Select(i => i.StopAsync(Drain)));
        foreach (var instance in instances)
        {
            if (!await instance.WaitForExitAsync(TimeSpan.FromSeconds(10), cancellationToken))
            {
                _logger.LogWarning("Instance {InstanceId} (pid {Pid}) did not exit within 10 s of being killed", instance.Id, instance.Pid);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await StopAllAsync();
        _probeClient.Dispose();
    }

    /// <summary>Stops every listener and every instance and forgets them (shutdown, or a replica that no longer hosts the cloud).</summary>
    public async Task StopAllAsync()
    {
        foreach (var balancer in LoadBalancers.Values)
        {
            await balancer.DisposeAsync();
        }
        LoadBalancers.Clear();
        await Task.WhenAll(ServerGroups.Values.Select(g => StopAsync(g, CancellationToken.None)));
        ServerGroups.Clear();
        Changed();
    }
}
