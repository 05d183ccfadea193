using System.Text.Json.Nodes;

namespace Delivery.Orchestrator.Persistence;

/// <summary>Applications (<c>name</c>, <c>email</c>, <c>permissions</c> ...), by lower-case name.</summary>
public interface IApplicationStore
{
    Task<IReadOnlyList<JsonObject>> ListAsync();

    Task<JsonObject?> GetAsync(string name);

    Task SaveAsync(JsonObject application);
}
