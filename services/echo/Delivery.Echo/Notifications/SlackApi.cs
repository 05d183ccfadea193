using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Delivery.Echo.Notifications;

/// <summary>
/// The Slack Web API methods echo calls (<c>chat.postMessage</c>, <c>chat.update</c>, <c>users.info</c>) with the
/// bot token. Slack answers HTTP 200 with <c>{"ok": false, "error": ...}</c> for most failures: rate limits and
/// Slack's own faults are retried, other errors (an unknown channel, a bad token) are final.
/// </summary>
public sealed class SlackApi(IHttpClientFactory clients, IOptions<NotificationOptions> options)
{
    public const string ClientName = "echo-slack";

    private static readonly HashSet<string> Transient = ["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"];

    /// <summary>Posts a message; returns Slack's answer (with <c>channel</c> and <c>ts</c>).</summary>
    public Task<JsonObject> PostMessageAsync(string channel, string text, JsonArray blocks, CancellationToken ct) =>
        CallAsync("chat.postMessage", new JsonObject { ["channel"] = channel, ["text"] = text, ["blocks"] = blocks }, ct);

    /// <summary>Replaces a message's text and blocks.</summary>
    public Task<JsonObject> UpdateMessageAsync(string channel, string ts, string text, JsonArray blocks, CancellationToken ct) =>
        CallAsync("chat.update", new JsonObject { ["channel"] = channel, ["ts"] = ts, ["text"] = text, ["blocks"] = blocks }, ct);

    /// <summary>The user's email when Slack shares it, else their name; null when the lookup fails.</summary>
    public async Task<string?> UserIdentityAsync(string userId, CancellationToken ct)
    {
        try
        {
            var user = (await CallAsync($"users.info?user={Uri.EscapeDataString(userId)}", null, ct))["user"];
            return Index.TriggerIndex.Text(user?["profile"]?["email"]) ?? Index.TriggerIndex.Text(user?["name"]);
        }
        catch (Exception e) when (e is HttpRequestException or NotificationRejectedException or TaskCanceledException)
        {
            return null;
        }
    }

    private async Task<JsonObject> CallAsync(string method, JsonObject? body, CancellationToken ct)
    {
        var slack = options.Value.Slack;
        if (string.IsNullOrEmpty(slack.BotToken))
        {
            throw new NotificationRejectedException($"{NotificationOptions.Section}:Slack:BotToken is not set; Slack notifications are off.");
        }
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, $"{slack.ApiBaseUrl.TrimEnd('/')}/{method}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", slack.BotToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"Slack {method} answered {(int)response.StatusCode}.");
        }
        JsonObject? answer;
        try
        {
            answer = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>(ct) : null;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new HttpRequestException($"Slack {method} answered something other than JSON: {e.Message}");
        }
        if (answer?["ok"]?.GetValue<bool>() == true)
        {
            return answer;
        }
        var error = Index.TriggerIndex.Text(answer?["error"]) ?? $"HTTP {(int)response.StatusCode}";
        throw Transient.Contains(error)
            ? new HttpRequestException($"Slack {method} failed: {error}.")
            : new NotificationRejectedException($"Slack {method} refused the call: {error}.");
    }
}
