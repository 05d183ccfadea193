using System.Text.Json.Nodes;
using Delivery.Echo.Store;

namespace Delivery.Echo.Notifications;

/// <summary>
/// Application-level notification preferences, stored as Spinnaker's front50 keeps them: one object per
/// application with an array per notification type, e.g. <c>{"application":"app","slack":[{"address":"#deploys",
/// "when":["pipeline.failed"]}]}</c>. They apply to every pipeline of the application.
/// </summary>
public sealed class ApplicationPreferences(IEchoStore store)
{
    /// <summary>Notification types echo sends.</summary>
    public static readonly string[] Types = ["slack", "email", "webhook"];

    public async Task<JsonObject> GetAsync(string application)
    {
        var app = application.ToLowerInvariant();
        return await store.GetAsync(Key(app)) is { } json && JsonNode.Parse(json) is JsonObject saved
            ? saved
            : new JsonObject { ["application"] = app };
    }

    /// <summary>Validates and saves the preferences; returns the problem when they are malformed.</summary>
    public async Task<(JsonObject? Saved, string? Problem)> SaveAsync(string application, JsonObject preferences)
    {
        var app = application.ToLowerInvariant();
        foreach (var (key, value) in preferences)
        {
            if (key is "application" or "lastModified" or "lastModifiedBy")
            {
                continue;
            }
            if (!Types.Contains(key))
            {
                return (null, $"Unknown notification type '{key}'; the types are {string.Join(", ", Types)}.");
            }
            if (value is not JsonArray list || list.Any(n => n is not JsonObject o || o["when"] is not JsonArray || NotificationPlanner.Address(o) is null))
            {
                return (null, $"'{key}' must be an array of notifications, each with an 'address' and a 'when' array.");
            }
        }
        preferences["application"] = app;
        await store.SetAsync(Key(app), preferences.ToJsonString());
        return (preferences, null);
    }

    private static string Key(string application) => $"app-notifications:{application}";
}
