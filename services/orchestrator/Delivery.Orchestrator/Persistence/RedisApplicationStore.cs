using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace Delivery.Orchestrator.Persistence;

/// <summary>Applications in Redis: one hash, field = application name.</summary>
public sealed class RedisApplicationStore(IConnectionMultiplexer redis, RedisKeys keys) : IApplicationStore
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<IReadOnlyList<JsonObject>> ListAsync()
    {
        var all = await Db.HashGetAllAsync(keys.Applications);
        return [.. all.OrderBy(e => (string?)e.Name, StringComparer.Ordinal).Select(e => JsonNode.Parse((string)e.Value!)!.AsObject())];
    }

    public async Task<JsonObject?> GetAsync(string name)
    {
        var json = await Db.HashGetAsync(keys.Applications, name);
        return json.IsNull ? null : JsonNode.Parse((string)json!)!.AsObject();
    }

    public Task SaveAsync(JsonObject application) =>
        Db.HashSetAsync(keys.Applications, application["name"]!.GetValue<string>(), application.ToJsonString());
}
