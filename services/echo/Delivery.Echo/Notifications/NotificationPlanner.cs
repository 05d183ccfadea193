using System.Text.Json.Nodes;
using Delivery.Echo.Index;

namespace Delivery.Echo.Notifications;

/// <summary>One notification to send: its <c>type</c>, its config (address, cc, message ...) and the text to send.</summary>
public sealed record NotificationTarget(string Type, JsonObject Config, string Text);

/// <summary>
/// Which notifications an event calls for, as in Spinnaker: a pipeline event goes to the pipeline's
/// <c>notifications[]</c> and the application's preferences; a stage event to the stage's <c>notifications</c>
/// when its <c>sendNotifications</c> is true. A notification subscribes with its <c>when</c> list, and its
/// <c>message.{kind}.text</c> replaces the default text.
/// </summary>
public static class NotificationPlanner
{
    public static IReadOnlyList<NotificationTarget> Plan(NotificationEvent e, IndexedPipeline? pipeline, JsonObject? stageContext, JsonObject? appPreferences)
    {
        IEnumerable<JsonObject> candidates;
        if (e.IsStageLevel)
        {
            candidates = stageContext is not null && TriggerIndex.Flag(stageContext, "sendNotifications")
                ? (stageContext["notifications"] as JsonArray ?? []).OfType<JsonObject>()
                : [];
        }
        else
        {
            candidates = (pipeline?.Notifications ?? []).Concat(FromPreferences(appPreferences));
        }
        var targets = new List<NotificationTarget>();
        foreach (var n in candidates)
        {
            var when = (n["when"] as JsonArray ?? []).Select(TriggerIndex.Text);
            if (!when.Contains(e.Kind) || TriggerIndex.Text(n["type"]) is not { } type || Address(n) is null)
            {
                continue;
            }
            var text = TriggerIndex.Text(n["message"]?[e.Kind]?["text"]) ?? NotificationTexts.Default(e);
            targets.Add(new NotificationTarget(type.ToLowerInvariant(), n, text));
        }
        return targets;
    }

    /// <summary>Where a notification goes: its <c>address</c> (a channel, emails, a URL).</summary>
    public static string? Address(JsonObject notification) => TriggerIndex.Text(notification["address"]);

    private static IEnumerable<JsonObject> FromPreferences(JsonObject? preferences)
    {
        foreach (var (key, value) in preferences ?? [])
        {
            foreach (var n in (value as JsonArray ?? []).OfType<JsonObject>())
            {
                var copy = (JsonObject)n.DeepClone();
                copy["type"] ??= key;
                yield return copy;
            }
        }
    }
}
