using System.Text.Json.Nodes;
using Delivery.Echo.Index;
using Microsoft.Extensions.Logging;

namespace Delivery.Echo.Triggers;

/// <summary>
/// Spinnaker's <c>webhook</c> trigger (Echo's <c>WebhookEventHandler</c>): fires for a call to
/// <c>POST /webhooks/webhook/{source}</c> whose source equals the trigger's <c>source</c> and whose payload meets
/// every <c>payloadConstraints</c> entry as Echo's <c>ArtifactMatcher.isConstraintInPayload</c> does: the top-level
/// key is in the payload with a non-null value, and, when the constraint has a pattern, the regex is found in that
/// value (anywhere: <c>^...$</c> anchors it). The payload's <c>parameters</c> object fills the pipeline's
/// parameters, its <c>artifacts</c> array becomes <c>trigger.artifacts</c> (Echo's received artifacts), and the
/// payload itself is <c>trigger.payload</c>.
/// </summary>
public static class WebhookTrigger
{
    public const string Type = "webhook";

    /// <summary>True when <paramref name="trigger"/> takes this call.</summary>
    public static bool Matches(IndexedTrigger trigger, string source, JsonObject payload, ILogger logger)
    {
        if (!string.Equals(trigger.Field("source"), source, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        foreach (var (key, constraint) in trigger.Trigger["payloadConstraints"] as JsonObject ?? [])
        {
            var value = payload[key] switch
            {
                null => null,
                JsonValue v when v.TryGetValue(out string? s) => s,
                var other => other.ToJsonString(),
            };
            if (value is null || (TriggerIndex.Text(constraint) is { } pattern && !Patterns.Find(pattern, value, logger)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The execution's trigger: the trigger's config plus <c>source</c>, <c>payload</c>, <c>parameters</c> and <c>artifacts</c>.</summary>
    public static JsonObject TriggerOf(IndexedTrigger trigger, string source, JsonObject payload)
    {
        var result = (JsonObject)trigger.Trigger.DeepClone();
        result["type"] = Type;
        result["source"] = source;
        result["payload"] = payload.DeepClone();
        result["parameters"] = payload["parameters"] is JsonObject parameters ? parameters.DeepClone() : new JsonObject();
        result["artifacts"] = new JsonArray([.. (payload["artifacts"] as JsonArray ?? []).OfType<JsonObject>().Select(a => a.DeepClone())]);
        return result;
    }
}
