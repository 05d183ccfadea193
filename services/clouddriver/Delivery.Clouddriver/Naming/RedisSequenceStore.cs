using StackExchange.Redis;

namespace Delivery.Clouddriver.Naming;

/// <summary>Sequences shared by every clouddriver replica: one Redis counter per account and cluster (INCR is atomic).</summary>
public sealed class RedisSequenceStore(IConnectionMultiplexer redis, ClouddriverRedisKeys keys) : ISequenceStore
{
    public async Task<int> NextAsync(string account, string cluster, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringIncrementAsync(keys.Sequence(account, cluster));
        return checked((int)(value - 1));
    }
}
