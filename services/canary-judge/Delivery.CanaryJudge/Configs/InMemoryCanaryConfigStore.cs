using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Delivery.CanaryJudge.Configs;

/// <summary>Canary configs in process memory (standalone); each kept as JSON text so callers never share a node.</summary>
public sealed class InMemoryCanaryConfigStore : ICanaryConfigStore
{
    private readonly ConcurrentDictionary<string, string> _configs = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<JsonObject>> ListAsync() =>
        Task.FromResult<IReadOnlyList<JsonObject>>([.. _configs.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Parse(e.Value))]);

    public Task<JsonObject?> GetAsync(string id) => Task.FromResult(_configs.TryGetValue(id, out var json) ? Parse(json) : null);

    public Task<bool> CreateAsync(string id, JsonObject config) => Task.FromResult(_configs.TryAdd(id, config.ToJsonString()));

    public Task<bool> UpdateAsync(string id, JsonObject config)
    {
        var json = config.ToJsonString();
        while (_configs.TryGetValue(id, out var current))
        {
            if (_configs.TryUpdate(id, json, current))
            {
                return Task.FromResult(true);
            }
        }
        return Task.FromResult(false);
    }

    public Task<bool> DeleteAsync(string id) => Task.FromResult(_configs.TryRemove(id, out _));

    public Task<long> CountAsync() => Task.FromResult((long)_configs.Count);

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
