using Delivery.Clouddriver.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.Clouddriver.Local;

/// <summary>
/// Elects the replica that hosts the local cloud: a Redis lease (<see cref="ClouddriverRedisKeys.LocalHost"/>, SET NX PX)
/// the host renews every third of <see cref="DistributedOptions.LeaseMs"/>. A replica that takes the lease over from a
/// dead one stops what the dead one left running (its pid files), adopts every server group and load balancer of the
/// cached inventory (<see cref="LocalCloudAdoption"/>: same names, ports, capacity, enabled state), and only then
/// consumes the local operations queue, whose unacknowledged commands the dead host left there.
/// A host that cannot renew for a whole lease steps down and stops its processes, since another replica may adopt them.
/// </summary>
public sealed class RedisLocalCloudLease(
    IConnectionMultiplexer redis,
    ClouddriverRedisKeys keys,
    ClouddriverReplica replica,
    LocalCloud cloud,
    IServiceProvider services,
    IOptions<DistributedOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<RedisLocalCloudLease> logger) : BackgroundService, ILocalCloudHosting
{
    // A lease that lapsed while nobody took it (this process was starved for a while) is taken again: nothing was lost.
    private const string RenewScript = """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        if not holder then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        return 0
        """;
    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    private volatile bool _isHost;
    private volatile string? _currentHost;
    private DateTimeOffset _renewed;

    public bool IsHost => _isHost;

    public string? CurrentHost => _currentHost;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not before the bus runs: a new host connects the local operations queue at once.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
        var lease = TimeSpan.FromMilliseconds(options.Value.LeaseMs);
        using var timer = new PeriodicTimer(lease / 3);
        do
        {
            try
            {
                await TickAsync(lease, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Reading, renewing or taking over the local cloud's lease failed; trying again");
                if (_isHost && DateTimeOffset.UtcNow - _renewed > lease)
                {
                    await StepDownAsync("its lease could not be renewed for a whole lease period");
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task TickAsync(TimeSpan lease, CancellationToken stoppingToken)
    {
        var db = redis.GetDatabase();
        if (_isHost)
        {
            if (!await RenewAsync(lease))
            {
                await StepDownAsync("another replica holds its lease");
            }
            return;
        }
        if (await db.StringSetAsync(keys.LocalHost, replica.Id, lease, When.NotExists))
        {
            _renewed = DateTimeOffset.UtcNow;
            // Adopting starts processes and listeners, and connecting declares a queue: on a busy machine that may take
            // longer than a lease, so the lease is renewed meanwhile.
            using var adopting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var renewing = RenewWhileAsync(lease, adopting.Token);
            try
            {
                await services.GetRequiredService<LocalCloudAdoption>().AdoptAsync(stoppingToken);
                _currentHost = replica.Id;
                _isHost = true;
                logger.LogWarning("This replica ({Replica}) hosts the local cloud now", replica.Id);
                await services.GetRequiredService<LocalOperationsEndpoint>().ConnectAsync(stoppingToken);
            }
            finally
            {
                await adopting.CancelAsync();
                await renewing;
            }
            return;
        }
        _currentHost = await db.StringGetAsync(keys.LocalHost);
    }

    private async Task RenewWhileAsync(TimeSpan lease, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(lease / 3, stop);
                try
                {
                    await RenewAsync(lease);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    logger.LogWarning(e, "Renewing the local cloud's lease while adopting it failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Adopted.
        }
    }

    private async Task<bool> RenewAsync(TimeSpan lease)
    {
        var renewed = (long)await redis.GetDatabase().ScriptEvaluateAsync(RenewScript, [keys.LocalHost], [replica.Id, (long)lease.TotalMilliseconds]) == 1;
        if (renewed)
        {
            _renewed = DateTimeOffset.UtcNow;
        }
        return renewed;
    }

    private async Task StepDownAsync(string reason)
    {
        logger.LogError("This replica ({Replica}) stops hosting the local cloud: {Reason}", replica.Id, reason);
        _isHost = false;
        _currentHost = null;
        await services.GetRequiredService<LocalOperationsEndpoint>().DisconnectAsync();
        await cloud.StopAllAsync();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_isHost)
        {
            // A clean shutdown hands over at once instead of after a lease, once its listeners have freed their ports.
            _isHost = false;
            await services.GetRequiredService<LocalOperationsEndpoint>().DisconnectAsync();
            await cloud.StopAllAsync();
            try
            {
                await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [keys.LocalHost], [replica.Id]);
            }
            catch (RedisException e)
            {
                logger.LogWarning(e, "Could not release the local cloud's lease; another replica takes over when it expires");
            }
        }
    }
}
