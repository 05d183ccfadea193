using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.Stages.Support;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Stages;

/// <summary>The webhook stage against a real HTTP server on 127.0.0.1.</summary>
[Collection(nameof(GenericStagesCollection))]
public sealed class WebhookStageTests(GenericStagesFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private static JsonObject Webhook(string refId, Uri url, JsonObject? settings = null, params string[] requisites)
    {
        var stage = new JsonObject
        {
            ["refId"] = refId,
            ["type"] = "webhook",
            ["name"] = $"webhook {refId}",
            ["url"] = url.ToString(),
            ["requisiteStageRefIds"] = new JsonArray([.. requisites.Select(r => (JsonNode)r)]),
        };
        foreach (var (key, value) in settings ?? [])
        {
            stage[key] = value?.DeepClone();
        }
        return stage;
    }

    private static JsonObject Webhook(JsonObject stage) => stage["context"]!["webhook"]!.AsObject();

    private static string Error(JsonObject stage) => stage["context"]!["exception"]!["details"]!["error"]!.GetValue<string>();

    private async Task<JsonObject> RunAsync(string name, params JsonObject[] stages)
    {
        await _client.SaveStagesAsync(name, stages);
        var id = await _client.TriggerAsync("test", name, new JsonObject { ["parameters"] = new JsonObject { ["version"] = "1.2.3" } });
        return await _client.WaitForAsync(id, e => Status(e) is not ("RUNNING" or "NOT_STARTED"));
    }

    [Fact]
    public async Task Post_SendsPayloadAndHeaders_AndRecordsTheAnswerForLaterStages()
    {
        using var server = new FakeHttpServer(_ => FakeResponse.Json(200, new JsonObject { ["id"] = 42, ["accepted"] = true }));
        var execution = await RunAsync("webhook-post",
            Webhook("1", server.Url("hooks/deploy"), new JsonObject
            {
                ["method"] = "post",
                ["customHeaders"] = new JsonObject { ["X-Token"] = "s3cret", ["Content-Type"] = "application/json; charset=utf-8" },
                ["payload"] = new JsonObject { ["app"] = "${execution.application}", ["version"] = "${parameters.version}" },
            }),
            new JsonObject
            {
                ["refId"] = "2",
                ["type"] = "evaluateVariables",
                ["requisiteStageRefIds"] = new JsonArray("1"),
                ["variables"] = new JsonArray(new JsonObject { ["key"] = "hookId", ["value"] = "${#stage('webhook 1')['context']['webhook']['body']['id']}" }),
            });

        Assert.Equal("SUCCEEDED", Status(execution));
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("s3cret", request.Header("X-Token"));
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        Assert.Equal("test", request.Json!["app"]!.GetValue<string>());
        Assert.Equal("1.2.3", request.Json!["version"]!.GetValue<string>());

        var webhook = Webhook(Stage(execution, "1"));
        Assert.Equal("OK", webhook["statusCode"]!.GetValue<string>());
        Assert.Equal(200, webhook["statusCodeValue"]!.GetValue<int>());
        Assert.Equal(42, webhook["body"]!["id"]!.GetValue<int>());
        Assert.Equal(200, Stage(execution, "1")["outputs"]!["webhook"]!["statusCodeValue"]!.GetValue<int>());
        Assert.Equal(42, Stage(execution, "2")["outputs"]!["hookId"]!.GetValue<int>());
    }

    [Fact]
    public async Task ServerErrors_AreSentAgainWithBackoff_UntilAnswered()
    {
        var calls = 0;
        using var server = new FakeHttpServer(_ => Interlocked.Increment(ref calls) <= 2
            ? new FakeResponse(503, "busy", ContentType: "text/plain")
            : FakeResponse.Json(201, new JsonObject { ["ok"] = true }));

        var execution = await RunAsync("webhook-retry", Webhook("1", server.Url("hook")));

        Assert.Equal("SUCCEEDED", Status(execution));
        Assert.Equal(3, server.Requests.Count);
        var webhook = Webhook(Stage(execution, "1"));
        Assert.Equal("CREATED", webhook["statusCode"]!.GetValue<string>());
        Assert.Equal(3, webhook["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task ClientError_FailsTheStage_WithoutSendingAgain()
    {
        using var server = new FakeHttpServer(_ => FakeResponse.Json(400, new JsonObject { ["error"] = "unknown environment" }));

        var execution = await RunAsync("webhook-400", Webhook("1", server.Url("hook")));
        await Task.Delay(150);

        Assert.Equal("TERMINAL", Status(execution));
        Assert.Single(server.Requests);
        var stage = Stage(execution, "1");
        Assert.Contains("with status code 400", Error(stage));
        Assert.Equal("unknown environment", Webhook(stage)["body"]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailFastStatusCode_FailsAtOnce()
    {
        using var server = new FakeHttpServer(_ => new FakeResponse(503, "down for maintenance", ContentType: "text/plain"));

        var execution = await RunAsync("webhook-fail-fast", Webhook("1", server.Url("hook"), new JsonObject { ["failFastStatusCodes"] = new JsonArray(503) }));

        Assert.Equal("TERMINAL", Status(execution));
        Assert.Single(server.Requests);
        Assert.Contains("configured to fail fast", Error(Stage(execution, "1")));
        Assert.Equal("down for maintenance", Webhook(Stage(execution, "1"))["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task WaitForCompletion_PollsTheSameUrl_UntilASuccessStatus()
    {
        var polls = 0;
        using var server = new FakeHttpServer(r => r.Method == "POST"
            ? FakeResponse.Json(200, new JsonObject { ["state"] = "QUEUED" })
            : FakeResponse.Json(200, new JsonObject { ["state"] = Interlocked.Increment(ref polls) < 3 ? "running" : "done" }));

        var execution = await RunAsync("webhook-get-method", Webhook("1", server.Url("jobs"), new JsonObject
        {
            ["waitForCompletion"] = true,
            ["statusUrlResolution"] = "getMethod",
            ["statusJsonPath"] = "$.state",
            ["successStatuses"] = "DONE, FINISHED",
            ["terminalStatuses"] = "FAILED",
        }));

        Assert.Equal("SUCCEEDED", Status(execution));
        Assert.Equal(3, server.Requests.Count(r => r.Method == "GET"));
        var webhook = Webhook(Stage(execution, "1"));
        Assert.Equal("QUEUED", webhook["body"]!["state"]!.GetValue<string>());
        Assert.Equal("done", webhook["monitor"]!["body"]!["state"]!.GetValue<string>());
        Assert.Equal("done", Stage(execution, "1")["outputs"]!["webhook"]!["monitor"]!["body"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task LocationHeader_IsResolvedAgainstTheWebhookUrl_AndPolled()
    {
        using var server = new FakeHttpServer(r => r.Method == "POST"
            ? new FakeResponse(202, null, new Dictionary<string, string> { ["Location"] = "/deployments/7" })
            : FakeResponse.Json(200, new JsonObject { ["deployment"] = new JsonObject { ["status"] = "SUCCESS", ["message"] = "3/3 instances up" } }));

        var execution = await RunAsync("webhook-location", Webhook("1", server.Url("api/deployments"), new JsonObject
        {
            ["waitForCompletion"] = true,
            ["statusUrlResolution"] = "locationHeader",
            ["statusJsonPath"] = "deployment.status",
            ["progressJsonPath"] = "$['deployment']['message']",
            ["successStatuses"] = "SUCCESS",
        }));

        Assert.Equal("SUCCEEDED", Status(execution));
        Assert.Contains(server.Requests, r => r.Method == "GET" && r.Path == "/deployments/7");
        var webhook = Webhook(Stage(execution, "1"));
        Assert.Equal(server.Url("deployments/7").ToString(), webhook["statusEndpoint"]!.GetValue<string>());
        Assert.Equal("3/3 instances up", webhook["monitor"]!["progressMessage"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("FAILED", "TERMINAL", "terminalStatuses")]
    [InlineData("ABORTED", "CANCELED", "canceledStatuses")]
    public async Task StatusUrlFromTheResponseBody_MapsTerminalAndCanceledStatuses(string reported, string expected, string list)
    {
        using var server = new FakeHttpServer(r => r.Method == "POST"
            ? FakeResponse.Json(200, new JsonObject { ["links"] = new JsonArray(new JsonObject { ["status"] = "http://127.0.0.1:" + r.Headers["Host"].Split(':')[1] + "/runs/9/status" }) })
            : FakeResponse.Json(200, new JsonObject { ["run"] = new JsonObject { ["state"] = reported } }));

        var execution = await RunAsync($"webhook-body-url-{reported}", Webhook("1", server.Url("runs"), new JsonObject
        {
            ["waitForCompletion"] = true,
            ["statusUrlResolution"] = "webhookResponse",
            ["statusUrlJsonPath"] = "$.links[0].status",
            ["statusJsonPath"] = "$.run.state",
            ["successStatuses"] = "SUCCEEDED",
            ["terminalStatuses"] = "FAILED,ERROR",
            ["canceledStatuses"] = "ABORTED",
        }));

        Assert.Equal(expected, Status(execution));
        Assert.Contains(server.Requests, r => r.Path == "/runs/9/status");
        var error = Error(Stage(execution, "1"));
        Assert.Contains(reported, error);
        Assert.Contains(list, error);
    }

    [Fact]
    public async Task PercentComplete_SucceedsAt100_AfterWaitBeforeMonitor()
    {
        var polls = 0;
        // The webhook answers slowly: the wait counts from its answer, not from when the call began.
        const int answerMs = 300;
        using var server = new FakeHttpServer(r =>
        {
            if (r.Method != "PUT")
            {
                return FakeResponse.Json(200, new JsonObject { ["percent"] = Interlocked.Increment(ref polls) == 1 ? 40 : 100 });
            }
            Thread.Sleep(answerMs);
            return new FakeResponse(204);
        });

        var execution = await RunAsync("webhook-percent", Webhook("1", server.Url("progress"), new JsonObject
        {
            ["method"] = "PUT",
            ["waitForCompletion"] = true,
            ["waitBeforeMonitor"] = 0.2,
            ["statusJsonPath"] = "$.percent",
        }));

        Assert.Equal("SUCCEEDED", Status(execution));
        var requests = server.Requests.ToList();
        // A PUT that failed to connect under load is sent again (after 20 ms here): the wait counts from the last one.
        var put = requests.FindLastIndex(r => r.Method == "PUT");
        Assert.Equal(["GET", "GET"], requests.Skip(put + 1).Select(r => r.Method));
        var gap = requests[put + 1].At - requests[put].At;
        Assert.True(gap >= TimeSpan.FromMilliseconds(answerMs + 180), $"first poll {gap.TotalMilliseconds} ms after the call");
        Assert.Equal(100, Webhook(Stage(execution, "1"))["monitor"]!["percentComplete"]!.GetValue<int>());
        Assert.Equal(["createWebhook", "waitBeforeMonitorWebhook", "monitorWebhook"], Stage(execution, "1")["tasks"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ConnectionErrors_AreRetried_UntilTheStageTimesOut()
    {
        var closed = new FakeHttpServer(_ => new FakeResponse(200));
        var url = closed.Url("hook");
        closed.Dispose();

        var stage = Webhook("1", url, new JsonObject { ["stageTimeoutMs"] = 1_000 });
        var execution = await RunAsync("webhook-connection-refused", stage);

        Assert.Equal("TERMINAL", Status(execution));
        Assert.Contains("timed out", Error(Stage(execution, "1")));
        var webhook = Webhook(Stage(execution, "1"));
        Assert.True(webhook["attempts"]!.GetValue<int>() >= 2);
        Assert.Contains("Will retry", webhook["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvalidUrl_FailsTheStage()
    {
        var stage = Webhook("1", new Uri("http://placeholder/"));
        // Refused when saved as written; an expression yields it at run time, checked after evaluation.
        stage["url"] = "${'ftp://example.com/hook'}";

        var execution = await RunAsync("webhook-bad-url", stage);

        Assert.Equal("TERMINAL", Status(execution));
        Assert.Contains("'url' must be an absolute http(s) URL", Error(Stage(execution, "1")));
    }
}
