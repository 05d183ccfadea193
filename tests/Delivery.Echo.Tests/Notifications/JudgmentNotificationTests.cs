using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Delivery.Echo.Tests.TestHost;

namespace Delivery.Echo.Tests.Notifications;

public sealed partial class JudgmentNotificationTests(NotificationHost host) : IClassFixture<NotificationHost>
{
    private readonly DeliveryClient client = host.Host.Client();

    /// <summary>A manual judgment (with inputs) that notifies through <paramref name="notification"/>, then a wait.</summary>
    private async Task<(string App, string ExecutionId)> StartJudgmentAsync(JsonObject notification)
    {
        var app = DeliveryClient.Unique("app");
        var pipeline = DeliveryClient.Pipeline(app, "release");
        pipeline["stages"] = new JsonArray(
            new JsonObject
            {
                ["refId"] = "1", ["type"] = "manualJudgment", ["name"] = "Approve", ["requisiteStageRefIds"] = new JsonArray(),
                ["instructions"] = "Ship it?", ["judgmentInputs"] = new JsonArray(new JsonObject { ["value"] = "ship" }, new JsonObject { ["value"] = "hold" }),
                ["sendNotifications"] = true, ["notifications"] = new JsonArray(notification),
            },
            new JsonObject { ["refId"] = "2", ["type"] = "wait", ["name"] = "After", ["waitTime"] = 0, ["requisiteStageRefIds"] = new JsonArray("1") });
        await client.SavePipelineAsync(pipeline);
        var id = await client.TriggerAsync(app, "release");
        await client.WaitForAsync(id, e => Judgment(e)["status"]!.GetValue<string>() == "RUNNING");
        return (app, id);
    }

    private static JsonObject Judgment(JsonObject execution) => execution["stages"]!.AsArray().OfType<JsonObject>().Single(s => s["type"]!.GetValue<string>() == "manualJudgment");

    [Fact]
    public async Task A_slack_judgment_message_has_two_buttons_and_a_signed_continue_resumes_the_pipeline_as_the_slack_user()
    {
        var channel = $"#{DeliveryClient.Unique("deploys")}";
        var (_, id) = await StartJudgmentAsync(new JsonObject { ["type"] = "slack", ["address"] = channel, ["when"] = new JsonArray("manualJudgment") });

        var message = await host.Slack.WaitForAsync("/api/chat.postMessage", b => b["channel"]!.GetValue<string>() == channel);
        Assert.Contains("Approve", message["text"]!.GetValue<string>());
        var controls = message["blocks"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!.AsArray();
        var buttons = controls.Where(e => e!["type"]!.GetValue<string>() == "button").ToList();
        Assert.Equal(["Continue", "Stop"], buttons.Select(b => b!["text"]!["text"]!.GetValue<string>()));
        Assert.Equal(["ship", "hold"], controls.Single(e => e!["type"]!.GetValue<string>() == "static_select")!["options"]!.AsArray().Select(o => o!["value"]!.GetValue<string>()));

        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = "U0JANE", ["username"] = "jane", ["name"] = "jane" },
            ["channel"] = new JsonObject { ["id"] = "C0DEPLOYS" },
            ["message"] = new JsonObject { ["ts"] = "1764410000.000001", ["text"] = message["text"]!.DeepClone() },
            ["actions"] = new JsonArray(buttons[0]!.DeepClone()),
            ["state"] = new JsonObject { ["values"] = new JsonObject { ["judgment"] = new JsonObject { ["judgment_input"] = new JsonObject
            {
                ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = "ship" },
            } } } },
        };
        var body = "payload=" + Uri.EscapeDataString(payload.ToJsonString());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var stale = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var forged = await Callback(body, now, Sign("not the signing secret", now, body));
        var late = await Callback(body, stale, Sign(NotificationHost.SigningSecret, stale, body));
        var unsigned = await Callback(body, now, null);
        await DeliveryClient.ProblemAsync(forged, HttpStatusCode.Unauthorized);
        Assert.Contains("five minutes", await DeliveryClient.ProblemAsync(late, HttpStatusCode.Unauthorized));
        await DeliveryClient.ProblemAsync(unsigned, HttpStatusCode.Unauthorized);
        Assert.Equal("RUNNING", Judgment(await client.GetExecutionAsync(id))["status"]!.GetValue<string>());

        var accepted = await Callback(body, now, Sign(NotificationHost.SigningSecret, now, body));
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());

        var execution = await client.WaitForAsync(id, e => DeliveryClient.Status(e) == "SUCCEEDED");
        var judged = Judgment(execution);
        Assert.Equal("jane@example.com", judged["outputs"]!["judgedBy"]!.GetValue<string>());
        Assert.Equal("ship", judged["outputs"]!["judgmentInput"]!.GetValue<string>());
        var update = await host.Slack.WaitForAsync("/api/chat.update", b => b["ts"]!.GetValue<string>() == "1764410000.000001");
        Assert.Contains("jane@example.com", update["text"]!.GetValue<string>());
        Assert.DoesNotContain(update["blocks"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "actions");
    }

    [Fact]
    public async Task A_judgment_email_arrives_at_the_smtp_server_and_its_continue_link_resumes_the_pipeline()
    {
        var recipient = $"{DeliveryClient.Unique("ops")}@example.com";
        var (_, id) = await StartJudgmentAsync(new JsonObject { ["type"] = "email", ["address"] = recipient, ["when"] = new JsonArray("manualJudgment") });

        var email = await host.Smtp.WaitForMessageAsync(recipient);
        Assert.Equal("delivery@example.com", email.From.Mailboxes.Single().Address);
        Assert.Contains("Ship it?", email.TextBody);
        var links = LinkPattern().Matches(email.TextBody!).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, links.Count);
        var proceed = new Uri(links[0]).AbsolutePath;

        // Following the link shows a confirmation page and judges nothing; a forged token is refused.
        var page = await client.Http.GetAsync(proceed);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync());
        Assert.Equal("RUNNING", Judgment(await client.GetExecutionAsync(id))["status"]!.GetValue<string>());
        var forged = await client.Http.PostAsync(proceed[..^3] + (proceed.EndsWith("AAA", StringComparison.Ordinal) ? "BBB" : "AAA"), null);
        await DeliveryClient.ProblemAsync(forged, HttpStatusCode.Unauthorized);

        var confirmed = await client.Http.PostAsync(proceed, new FormUrlEncodedContent([new("judgment", "continue")]));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        var execution = await client.WaitForAsync(id, e => DeliveryClient.Status(e) == "SUCCEEDED");
        Assert.Equal(recipient, Judgment(execution)["outputs"]!["judgedBy"]!.GetValue<string>());
    }

    private Task<HttpResponseMessage> Callback(string body, string timestamp, string? signature)
    {
        var headers = new Dictionary<string, string> { ["X-Slack-Request-Timestamp"] = timestamp };
        if (signature is not null)
        {
            headers["X-Slack-Signature"] = signature;
        }
        return client.PostAsync("/notifications/slack/interactive", body, "application/x-www-form-urlencoded", headers);
    }

    private static string Sign(string secret, string timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    [GeneratedRegex(@"(?:Continue|Stop): (\S+)")]
    private static partial Regex LinkPattern();
}
