using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace Delivery.CanaryJudge.Configs;

/// <summary>Canary configs in Redis: one hash, field = config id.</summary>
public sealed class RedisCanaryConfigStore(IConnectionMultiplexer redis, CanaryJudgeRedisKeys keys) : ICanaryConfigStore
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<IReadOnlyList<JsonObject>> ListAsync()
    {
        var all = await Db.HashGetAllAsync(keys.Configs);
        return [.. all.OrderBy(e => (string?)e.Name, StringComparer.Ordinal).Select(e => JsonNode.Parse((string)e.Value!)!.AsObject())];
    }

    public async Task<JsonObject?> GetAsync(string id)
    {
        var json = await Db.HashGetAsync(keys.Configs, id);
        return json.IsNull ? null : JsonNode.Parse((string)json!)!.AsObject();
    }

    public Task<bool> CreateAsync(string id, JsonObject config) => Db.HashSetAsync(keys.Configs, id, config.ToJsonString(), When.NotExists);

    public async Task<bool> UpdateAsync(string id, JsonObject config)
    {
        // Only an existing field is replaced: the transaction fails when it is gone.
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.HashExists(keys.Configs, id));
        _ = transaction.HashSetAsync(keys.Configs, id, config.ToJsonString());
        return await transaction.ExecuteAsync();
    }

    public Task<bool> DeleteAsync(string id) => Db.HashDeleteAsync(keys.Configs, id);

    public Task<long> CountAsync() => Db.HashLengthAsync(keys.Configs);
}
