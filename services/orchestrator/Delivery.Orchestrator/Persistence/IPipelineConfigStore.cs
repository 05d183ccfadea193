using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Persistence;

/// <summary>Saved pipeline configs (Spinnaker pipeline JSON), by id and by application + name.</summary>
public interface IPipelineConfigStore
{
    Task<IReadOnlyList<JsonObject>> ListAsync(string application);

    Task<JsonObject?> GetAsync(string application, string name);

    /// <summary>Saves (creates or replaces) a config that has <c>id</c>, <c>application</c> and <c>name</c>.</summary>
    Task SaveAsync(JsonObject config);

    Task<bool> DeleteAsync(string application, string name);
}
