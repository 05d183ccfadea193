using System.Text.Json.Nodes;

namespace Delivery.Echo.Notifications;

/// <summary>
/// The <c>slack</c> notification: <c>chat.postMessage</c> to the channel in <c>address</c>, with Block Kit. A
/// manual judgment message carries a select of the stage's judgment inputs (when it has any) and Continue and
/// Stop buttons, whose clicks come back to <c>POST /notifications/slack/interactive</c>.
/// </summary>
public sealed class SlackNotificationSender(SlackApi slack) : INotificationSender
{
    /// <summary>The block holding the judgment controls.</summary>
    public const string JudgmentBlock = "judgment";

    /// <summary>The action id of the judgment input select.</summary>
    public const string InputAction = "judgment_input";

    /// <summary>Action ids of the buttons, by the judgment status they send.</summary>
    public const string ContinueAction = "judgment_continue", StopAction = "judgment_stop";

    public string Type => "slack";

    public Task SendAsync(NotificationJob job, CancellationToken cancellationToken)
    {
        var e = job.Event;
        var blocks = new JsonArray(Section(job.Target.Text));
        if (e is { Kind: "manualJudgment", StageId: not null })
        {
            var target = new JsonObject { ["executionId"] = e.ExecutionId, ["stageId"] = e.StageId }.ToJsonString();
            var elements = new JsonArray();
            if (e.Judgment?.Inputs is { Count: > 0 } inputs)
            {
                elements.Add(new JsonObject
                {
                    ["type"] = "static_select",
                    ["action_id"] = InputAction,
                    ["placeholder"] = PlainText("Judgment input"),
                    ["options"] = new JsonArray([.. inputs.Take(100).Select(i => (JsonNode)new JsonObject { ["text"] = PlainText(i), ["value"] = i })]),
                });
            }
            elements.Add(Button("Continue", ContinueAction, "primary", target));
            elements.Add(Button("Stop", StopAction, "danger", target));
            blocks.Add(new JsonObject { ["type"] = "actions", ["block_id"] = JudgmentBlock, ["elements"] = elements });
        }
        return slack.PostMessageAsync(NotificationPlanner.Address(job.Target.Config)!, job.Target.Text, blocks, cancellationToken);
    }

    /// <summary>A section block of markdown text.</summary>
    public static JsonObject Section(string text) => new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text } };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    private static JsonObject Button(string text, string actionId, string style, string value) => new()
    {
        ["type"] = "button", ["text"] = PlainText(text), ["action_id"] = actionId, ["style"] = style, ["value"] = value,
    };
}
