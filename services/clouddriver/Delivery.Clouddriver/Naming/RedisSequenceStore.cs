using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Delivery.Clouddriver.Naming;

/// <summary>
/// Sequences shared by every clouddriver replica: one Redis counter per account and cluster (INCR is atomic), and per
/// operation the sequence it reserved (kept as long as operation results), set in the same script as the increment.
/// </summary>
public sealed class RedisSequenceStore(IConnectionMultiplexer redis, ClouddriverRedisKeys keys, IOptions<ClouddriverOptions> options) : ISequenceStore
{
    private const string ReserveScript = """
        local reserved = redis.call('GET', KEYS[2])
        if reserved then return tonumber(reserved) end
        local next = redis.call('INCR', KEYS[1]) - 1
        redis.call('SET', KEYS[2], next, 'PX', ARGV[1])
        return next
        """;

    public async Task<int> NextAsync(string account, string cluster, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringIncrementAsync(keys.Sequence(account, cluster));
        return checked((int)(value - 1));
    }

    public async Task<int> ReserveAsync(string account, string cluster, string operationId, CancellationToken cancellationToken)
    {
        var retention = (long)TimeSpan.FromHours(options.Value.OperationRetentionHours).TotalMilliseconds;
        var value = await redis.GetDatabase().ScriptEvaluateAsync(ReserveScript, [keys.Sequence(account, cluster), keys.OperationSequence(account, cluster, operationId)], [retention]);
        return checked((int)(long)value);
    }
}
