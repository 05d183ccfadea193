using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Persistence;

public sealed class InMemoryApplicationStore : IApplicationStore
{
    private readonly ConcurrentDictionary<string, string> _applications = new();

    public Task<IReadOnlyList<JsonObject>> ListAsync() =>
        Task.FromResult<IReadOnlyList<JsonObject>>([.. _applications.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => JsonNode.Parse(kv.Value)!.AsObject())]);

    public Task<JsonObject?> GetAsync(string name) =>
        Task.FromResult(_applications.TryGetValue(name, out var json) ? JsonNode.Parse(json)!.AsObject() : null);

    public Task SaveAsync(JsonObject application)
    {
        _applications[application["name"]!.GetValue<string>()] = application.ToJsonString();
        return Task.CompletedTask;
    }
}
