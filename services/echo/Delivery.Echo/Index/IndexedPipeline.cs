using System.Text.Json.Nodes;

namespace Delivery.Echo.Index;

/// <summary>A saved pipeline config as the index keeps it: the config, and whether any stage asks for notifications.</summary>
public sealed record IndexedPipeline(string Id, string Application, string Name, JsonObject Config)
{
    /// <summary>True when a stage has <c>sendNotifications</c> with <c>notifications</c>, so stage events are worth a look.</summary>
    public bool HasStageNotifications { get; } = (Config["stages"] as JsonArray ?? []).OfType<JsonObject>()
        .Any(s => s["sendNotifications"] is JsonValue v && v.TryGetValue(out bool send) && send && s["notifications"] is JsonArray { Count: > 0 });

    /// <summary>The pipeline's own <c>notifications[]</c>.</summary>
    public IEnumerable<JsonObject> Notifications => (Config["notifications"] as JsonArray ?? []).OfType<JsonObject>();
}

/// <summary>
/// One enabled trigger of a pipeline. <see cref="Key"/> names it across refreshes and replicas:
/// the pipeline id and the trigger's <c>id</c> (or its position when it has none).
/// </summary>
public sealed record IndexedTrigger(IndexedPipeline Pipeline, JsonObject Trigger, string Type, string Key)
{
    /// <summary>A non-empty string field of the trigger, or null.</summary>
    public string? Field(string name) => TriggerIndex.Text(Trigger[name]);
}
