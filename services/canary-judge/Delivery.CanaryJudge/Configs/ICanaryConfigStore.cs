using System.Text.Json.Nodes;

namespace Delivery.CanaryJudge.Configs;

/// <summary>Canary configs by id, stored as their JSON (every field kept, as Kayenta keeps them).</summary>
public interface ICanaryConfigStore
{
    Task<IReadOnlyList<JsonObject>> ListAsync();

    Task<JsonObject?> GetAsync(string id);

    /// <summary>Stores a new config; false when the id is taken.</summary>
    Task<bool> CreateAsync(string id, JsonObject config);

    /// <summary>Replaces a config; false when there is none with the id.</summary>
    Task<bool> UpdateAsync(string id, JsonObject config);

    Task<bool> DeleteAsync(string id);

    Task<long> CountAsync();
}
