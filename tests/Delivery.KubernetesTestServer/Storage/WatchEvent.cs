using System.Text.Json.Nodes;

namespace Delivery.KubernetesTestServer.Storage;

/// <summary>A stored change: <c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c>, with the object as it was written.</summary>
/// <param name="Object">A snapshot no one mutates.</param>
public sealed record WatchEvent(string Type, ResourceType Resource, long ResourceVersion, JsonObject Object)
{
    public string? Namespace => Object["metadata"]?["namespace"]?.GetValue<string>();

    /// <summary>The watch stream line (<c>{"type":...,"object":...}</c>).</summary>
    public string Line { get; } = new JsonObject { ["type"] = Type, ["object"] = Object.DeepClone() }.ToJsonString();
}
