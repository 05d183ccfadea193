using StackExchange.Redis;

namespace Delivery.Echo.Store;

/// <summary>The store shared by every echo replica: Redis keys under the installation's prefix and <c>echo:</c>.</summary>
public sealed class RedisEchoStore(IConnectionMultiplexer redis, string keyPrefix) : IEchoStore
{
    private IDatabase Db => redis.GetDatabase();

    private RedisKey Key(string key) => $"{keyPrefix}echo:{key}";

    public Task<bool> TryClaimAsync(string key, string value, TimeSpan ttl) => Db.StringSetAsync(Key(key), value, ttl, When.NotExists);

    public async Task<string?> GetAsync(string key) => await Db.StringGetAsync(Key(key));

    public Task SetAsync(string key, string value, TimeSpan? ttl = null) =>
        ttl is { } t ? Db.StringSetAsync(Key(key), value, t) : Db.StringSetAsync(Key(key), value);

    public Task DeleteAsync(string key) => Db.KeyDeleteAsync(Key(key));
}
