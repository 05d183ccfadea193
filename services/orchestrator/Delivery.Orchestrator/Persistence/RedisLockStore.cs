using StackExchange.Redis;

namespace Delivery.Orchestrator.Persistence;

/// <summary>A lock is a key set only if absent, with an expiry; only the holder's token releases it.</summary>
public sealed class RedisLockStore(IConnectionMultiplexer redis, RedisKeys keys) : ILockStore
{
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    public async Task<IAsyncDisposable?> TryAcquireAsync(string name, TimeSpan ttl)
    {
        var token = Guid.NewGuid().ToString("N");
        var key = keys.Lock(name);
        return await redis.GetDatabase().StringSetAsync(key, token, ttl, When.NotExists) ? new Held(redis, key, token) : null;
    }

    private sealed class Held(IConnectionMultiplexer redis, RedisKey key, string token) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [key], [token]);
    }
}
