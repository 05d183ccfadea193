using System.Net;
using System.Text.Json.Nodes;
using Delivery.Echo.Tests.TestHost;

namespace Delivery.Echo.Tests.Notifications;

public sealed class PipelineNotificationTests(NotificationHost host) : IClassFixture<NotificationHost>
{
    private readonly DeliveryClient client = host.Host.Client();

    [Fact]
    public async Task Pipeline_and_application_notifications_are_sent_once_with_custom_text_and_failures_never_fail_the_pipeline()
    {
        var app = DeliveryClient.Unique("app");
        var hook = DeliveryClient.Unique("hook");
        var channel = $"#{DeliveryClient.Unique("team")}";
        var preferences = new JsonObject
        {
            ["slack"] = new JsonArray(new JsonObject { ["address"] = channel, ["when"] = new JsonArray("pipeline.starting", "pipeline.complete") }),
        };
        var saved = await DeliveryClient.JsonAsync(await client.PostAsync($"/notifications/application/{app}", preferences.ToJsonString()));
        Assert.Equal(app, saved["application"]!.GetValue<string>());
        var read = await DeliveryClient.JsonAsync(await client.Http.GetAsync($"/notifications/application/{app}"));
        Assert.Equal(channel, read["slack"]![0]!["address"]!.GetValue<string>());

        var pipeline = DeliveryClient.Pipeline(app, "deploy");
        pipeline["notifications"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "webhook", ["address"] = $"{host.Slack.BaseUrl}/hook/{hook}", ["when"] = new JsonArray("pipeline.complete"),
                ["message"] = new JsonObject { ["pipeline.complete"] = new JsonObject { ["text"] = "Deploy is done" } },
            },
            // Both of these fail: Slack refuses the channel for good, the webhook answers 500 on every retry.
            new JsonObject { ["type"] = "slack", ["address"] = SlackDouble.MissingChannel, ["when"] = new JsonArray("pipeline.complete") },
            new JsonObject { ["type"] = "webhook", ["address"] = $"{host.Slack.BaseUrl}/hook/fail", ["when"] = new JsonArray("pipeline.starting") });
        await client.SavePipelineAsync(pipeline);

        var id = await client.TriggerAsync(app, "deploy");

        await client.WaitForAsync(id, e => DeliveryClient.Status(e) == "SUCCEEDED");
        var webhook = await host.Slack.WaitForAsync($"/hook/{hook}", _ => true);
        Assert.Equal("Deploy is done", webhook["message"]!.GetValue<string>());
        Assert.Equal("pipeline.complete", webhook["type"]!.GetValue<string>());
        Assert.Equal(id, webhook["executionId"]!.GetValue<string>());
        await host.Slack.WaitForAsync("/api/chat.postMessage", b => b["channel"]?.GetValue<string>() == channel && b["text"]!.GetValue<string>().Contains("succeeded", StringComparison.Ordinal));
        await host.Slack.WaitForAsync("/api/chat.postMessage", b => b["channel"]?.GetValue<string>() == channel && b["text"]!.GetValue<string>().Contains("starting", StringComparison.Ordinal));
        // The failing webhook was tried MaxAttempts (3) times, then given up; the refused channel once.
        await WaitForCountAsync($"/hook/fail", id, 3);
        await Task.Delay(300);
        Assert.Equal(3, Count("/hook/fail", id));
        Assert.Equal(1, host.Slack.Calls.Count(c => c.Path == "/api/chat.postMessage" && c.Body["channel"]?.GetValue<string>() == SlackDouble.MissingChannel
            && c.Body["text"]!.GetValue<string>().Contains(id, StringComparison.Ordinal)));
        Assert.Equal(1, Count($"/hook/{hook}", id));
    }

    [Fact]
    public async Task Malformed_application_preferences_are_a_400_problem()
    {
        var unknown = await client.PostAsync("/notifications/application/app", """{"pager":[]}""");
        var notList = await client.PostAsync("/notifications/application/app", """{"email":{"address":"a@b"}}""");

        Assert.Contains("pager", await DeliveryClient.ProblemAsync(unknown, HttpStatusCode.BadRequest));
        Assert.Contains("'when'", await DeliveryClient.ProblemAsync(notList, HttpStatusCode.BadRequest));
    }

    private int Count(string path, string executionId) =>
        host.Slack.Calls.Count(c => c.Path == path && c.Body["executionId"]?.GetValue<string>() == executionId);

    private async Task WaitForCountAsync(string path, string executionId, int count)
    {
        for (var i = 0; i < 200 && Count(path, executionId) < count; i++)
        {
            await Task.Delay(50);
        }
    }
}
