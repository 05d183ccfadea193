using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace Delivery.Orchestrator.Persistence;

/// <summary>Pipeline configs in Redis: one hash per application, field = pipeline name.</summary>
public sealed class RedisPipelineConfigStore(IConnectionMultiplexer redis, RedisKeys keys) : IPipelineConfigStore
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string application)
    {
        var all = await Db.HashGetAllAsync(keys.PipelineConfigs(application));
        return [.. all.OrderBy(e => (string?)e.Name, StringComparer.Ordinal).Select(e => JsonNode.Parse((string)e.Value!)!.AsObject())];
    }

    public async Task<JsonObject?> GetAsync(string application, string name)
    {
        var json = await Db.HashGetAsync(keys.PipelineConfigs(application), name);
        return json.IsNull ? null : JsonNode.Parse((string)json!)!.AsObject();
    }

    public Task SaveAsync(JsonObject config) =>
        Db.HashSetAsync(keys.PipelineConfigs(config["application"]!.GetValue<string>()), config["name"]!.GetValue<string>(), config.ToJsonString());

    public Task<bool> DeleteAsync(string application, string name) => Db.HashDeleteAsync(keys.PipelineConfigs(application), name);
}
