using System.Net;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>
/// Restart as Orca's RestartStageHandler does it (issue 7, section 1): stages are evaluated afresh from their definition,
/// running downstream work is canceled first, and a <c>limitConcurrent</c> pipeline reopens only when its slot is free.
/// </summary>
[Collection(nameof(EngineCollection))]
public sealed class RestartSemanticsTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private async Task JudgeAsync(string id, string input)
    {
        var running = await _client.WaitForStageStatusAsync(id, "1", "RUNNING");
        var response = await _client.PatchAsync($"/pipelines/{id}/stages/{Stage(running, "1")["id"]}",
            new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = input });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static JsonObject Judgment() => new()
    {
        ["refId"] = "1",
        ["type"] = "manualJudgment",
        ["name"] = "gate",
        ["judgmentInputs"] = new JsonArray(new JsonObject { ["value"] = "first" }, new JsonObject { ["value"] = "second" }),
    };

    [Fact]
    public async Task RestartedJudgment_IsSeenAfreshByTheVariablesDownstream()
    {
        var variables = new JsonObject
        {
            ["refId"] = "2",
            ["type"] = "evaluateVariables",
            ["name"] = "vars",
            ["requisiteStageRefIds"] = new JsonArray("1"),
            ["variables"] = new JsonArray(new JsonObject { ["key"] = "choice", ["value"] = "${#judgment('gate')}" }),
        };
        var id = await _client.TriggerAsync("test", await _client.SaveStagesAsync("restart-reevaluates", Judgment(), variables));
        await JudgeAsync(id, "first");
        var done = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("first", Stage(done, "2")["outputs"]!["choice"]!.GetValue<string>());

        var restart = await _client.PutAsync($"/pipelines/{id}/stages/{Stage(done, "1")["id"]}/restart");
        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        await JudgeAsync(id, "second");

        var again = await _client.WaitForAsync(id, e => Status(e) == "SUCCEEDED" && Stage(e, "1")["context"]?["restartDetails"] is not null);
        Assert.Equal("second", Stage(again, "2")["outputs"]!["choice"]!.GetValue<string>());
        Assert.Equal("${#judgment('gate')}", Stage(again, "2")["definition"]!["variables"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Restart_CancelsTheChildPipelineRunningDownstream()
    {
        await _client.SaveStagesAsync("restart-child", Wait("1", 30));
        var parentStage = new JsonObject
        {
            ["refId"] = "2",
            ["type"] = "pipeline",
            ["name"] = "child",
            ["application"] = "test",
            ["pipeline"] = "restart-child",
            ["requisiteStageRefIds"] = new JsonArray("1"),
        };
        var id = await _client.TriggerAsync("test", await _client.SaveStagesAsync("restart-parent", Wait("1", 0), parentStage));
        var running = await _client.WaitForAsync(id, e => Stage(e, "2")["context"]?["executionId"] is not null);
        var child = Stage(running, "2")["context"]!["executionId"]!.GetValue<string>();
        await _client.WaitForStatusAsync(child, "RUNNING");

        var restart = await _client.PutAsync($"/pipelines/{id}/stages/{Stage(running, "1")["id"]}/restart");
        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);

        // The first run's child is not left running beside the one the restarted stage starts.
        await _client.WaitForStatusAsync(child, "CANCELED");
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }

    [Fact]
    public async Task RestartOfALimitConcurrentPipeline_WaitsForTheRunningOne()
    {
        await _client.SavePipelineAsync(new JsonObject
        {
            ["application"] = "test",
            ["name"] = "restart-limited",
            ["limitConcurrent"] = true,
            ["stages"] = new JsonArray(Judgment()),
        });
        var first = await _client.TriggerAsync("test", "restart-limited");
        await JudgeAsync(first, "first");
        var done = await _client.WaitForStatusAsync(first, "SUCCEEDED");
        var second = await _client.TriggerAsync("test", "restart-limited");
        await _client.WaitForStageStatusAsync(second, "1", "RUNNING");

        var refused = await _client.PutAsync($"/pipelines/{first}/stages/{Stage(done, "1")["id"]}/restart");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("SUCCEEDED", Status(await _client.GetExecutionAsync(first)));

        await JudgeAsync(second, "second");
        await _client.WaitForStatusAsync(second, "SUCCEEDED");
        var restart = await _client.PutAsync($"/pipelines/{first}/stages/{Stage(done, "1")["id"]}/restart");
        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        await _client.WaitForStageStatusAsync(first, "1", "RUNNING");
        await _client.PutAsync($"/pipelines/{first}/cancel");
    }
}
