using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Contracts.Orchestration;
using Delivery.Echo.Index;
using Delivery.Echo.Orchestration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Echo.Notifications;

/// <summary>
/// Slack's interactive callback for the judgment buttons. The request is verified as Slack documents
/// ("Verifying requests from Slack"): <c>X-Slack-Signature</c> is <c>v0=</c> and the hex HMAC-SHA256, under the
/// signing secret, of <c>v0:{X-Slack-Request-Timestamp}:{raw body}</c>, and the timestamp is within five
/// minutes. A click then judges the stage (the public <see cref="UpdateStage"/>) as the Slack user (their email
/// from <c>users.info</c>, else their name) and replaces the buttons with who judged (<c>chat.update</c>).
/// </summary>
public sealed class SlackInteractions(
    SlackApi slack, OrchestratorClient orchestrator, IOptions<NotificationOptions> options, TimeProvider time, ILogger<SlackInteractions> logger)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>Null when the request is Slack's, else why it is refused.</summary>
    public string? Verify(byte[] body, string? timestamp, string? signature)
    {
        if (string.IsNullOrEmpty(options.Value.Slack.SigningSecret))
        {
            return $"{NotificationOptions.Section}:Slack:SigningSecret is not set; no callback can be verified.";
        }
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799))).Duration() > Window)
        {
            return "X-Slack-Request-Timestamp is missing or more than five minutes from now.";
        }
        if (signature is null || !signature.StartsWith("v0=", StringComparison.Ordinal))
        {
            return "X-Slack-Signature is missing or not a v0 signature.";
        }
        var signed = Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
        var expected = Encoding.ASCII.GetBytes("v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Slack.SigningSecret), signed)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)) ? null : "X-Slack-Signature does not match the request.";
    }

    /// <summary>Applies a verified <c>block_actions</c> payload; returns what happened, for the log and the reply.</summary>
    public async Task<string> HandleAsync(JsonObject payload, CancellationToken ct)
    {
        var action = (payload["actions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(a => TriggerIndex.Text(a["action_id"]) is SlackNotificationSender.ContinueAction or SlackNotificationSender.StopAction);
        if (action is null || TriggerIndex.Text(action["value"]) is not { } value || JsonNode.Parse(value) is not JsonObject target
            || TriggerIndex.Text(target["executionId"]) is not { } executionId || TriggerIndex.Text(target["stageId"]) is not { } stageId)
        {
            // A choice in the input select, or an action of another message: nothing to judge yet.
            return "ignored";
        }
        var judgment = TriggerIndex.Text(action["action_id"]) == SlackNotificationSender.ContinueAction ? "continue" : "stop";
        var slackUser = payload["user"] as JsonObject;
        var user = (TriggerIndex.Text(slackUser?["id"]) is { } id ? await slack.UserIdentityAsync(id, ct) : null)
            ?? TriggerIndex.Text(slackUser?["username"]) ?? TriggerIndex.Text(slackUser?["name"]) ?? "slack";
        var input = (payload["state"]?["values"] as JsonObject ?? []).Select(b => b.Value?[SlackNotificationSender.InputAction]?["selected_option"]?["value"])
            .Select(TriggerIndex.Text).FirstOrDefault(v => v is not null);
        var update = new JsonObject { ["judgmentStatus"] = judgment };
        if (input is not null)
        {
            update["judgmentInput"] = input;
        }
        var reply = await orchestrator.SendAsync(new UpdateStage(executionId, stageId, update.ToJsonString(), user), ct);
        var outcome = reply.IsSuccess
            ? $"*{(judgment == "continue" ? "Continued" : "Stopped")}* by {user}{(input is null ? "" : $" ({input})")}."
            : $"The judgment by {user} was not applied: {reply.Detail}";
        logger.LogInformation("Slack judgment {Judgment} of stage {StageId} of execution {ExecutionId} by {User}: {Outcome}", judgment, stageId, executionId, user, outcome);
        await ReplaceButtonsAsync(payload, outcome, ct);
        return outcome;
    }

    /// <summary>Keeps the message's text and swaps its controls for the outcome, so nobody clicks a stale button.</summary>
    private async Task ReplaceButtonsAsync(JsonObject payload, string outcome, CancellationToken ct)
    {
        var channel = TriggerIndex.Text(payload["channel"]?["id"]) ?? TriggerIndex.Text(payload["container"]?["channel_id"]);
        var ts = TriggerIndex.Text(payload["message"]?["ts"]) ?? TriggerIndex.Text(payload["container"]?["message_ts"]);
        if (channel is null || ts is null)
        {
            return;
        }
        var text = TriggerIndex.Text(payload["message"]?["text"]) ?? "Manual judgment";
        try
        {
            await slack.UpdateMessageAsync(channel, ts, $"{text}\n{outcome}", new JsonArray(SlackNotificationSender.Section(text), SlackNotificationSender.Section(outcome)), ct);
        }
        catch (Exception e) when (e is HttpRequestException or NotificationRejectedException or TaskCanceledException)
        {
            logger.LogWarning(e, "Slack message {Ts} in {Channel} not updated after the judgment.", ts, channel);
        }
    }
}
