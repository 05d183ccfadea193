using System.Text.Json;
using System.Text.Json.Serialization;

namespace Delivery.Gate.Endpoints.Schemas;

/// <summary>
/// A Spinnaker application as gate accepts and returns it (front50's application attributes).
/// Only the OpenAPI document uses this type: gate passes the JSON through unchanged.
/// </summary>
public sealed record Application
{
    /// <summary>Lower-case letters, digits and dashes; the key of the application.</summary>
    public required string Name { get; init; }

    /// <summary>The owner's address.</summary>
    public string? Email { get; init; }

    public string? Description { get; init; }

    /// <summary>Roles per permission, e.g. <c>{"READ":["team"],"WRITE":["team"]}</c>.</summary>
    public Dictionary<string, List<string>>? Permissions { get; init; }

    /// <summary>When it was first saved, Unix milliseconds (set by the server).</summary>
    public long? CreateTs { get; init; }

    /// <summary>When it was last saved, Unix milliseconds (set by the server).</summary>
    public long? UpdateTs { get; init; }

    /// <summary>Any other attribute, kept as given.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Attributes { get; init; }
}
