using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Persistence;

public sealed class InMemoryPipelineConfigStore : IPipelineConfigStore
{
    private readonly ConcurrentDictionary<(string Application, string Name), string> _configs = new();

    public Task<IReadOnlyList<JsonObject>> ListAsync(string application) =>
        Task.FromResult<IReadOnlyList<JsonObject>>([.. _configs
            .Where(kv => kv.Key.Application == application)
            .OrderBy(kv => kv.Key.Name, StringComparer.Ordinal)
            .Select(kv => Parse(kv.Value))]);

    public Task<JsonObject?> GetAsync(string application, string name) =>
        Task.FromResult(_configs.TryGetValue((application, name), out var json) ? Parse(json) : null);

    public Task SaveAsync(JsonObject config)
    {
        var key = (config["application"]!.GetValue<string>(), config["name"]!.GetValue<string>());
        _configs[key] = config.ToJsonString();
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string application, string name) => Task.FromResult(_configs.TryRemove((application, name), out _));

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
