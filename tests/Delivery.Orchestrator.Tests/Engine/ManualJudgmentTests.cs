using System.Net;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

[Collection(nameof(EngineCollection))]
public sealed class ManualJudgmentTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private async Task<(string Id, string StageId)> StartJudgmentAsync(string name)
    {
        await _client.SaveStagesAsync(name,
            new JsonObject
            {
                ["refId"] = "1",
                ["type"] = "manualJudgment",
                ["name"] = "Approve",
                ["instructions"] = "Ship it?",
                ["judgmentInputs"] = new JsonArray(new JsonObject { ["value"] = "ship" }, new JsonObject { ["value"] = "hold" }),
            },
            Wait("2", 0, "1"));
        var id = await _client.TriggerAsync("test", name);
        var execution = await _client.WaitForStageStatusAsync(id, "1", "RUNNING");
        return (id, Stage(execution, "1")["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Continue_RecordsJudgmentAndPipelineGoesOn()
    {
        var (id, stageId) = await StartJudgmentAsync("judge-continue");
        await Task.Delay(200);
        Assert.Equal("RUNNING", Status(await _client.GetExecutionAsync(id)));

        _client.Http.DefaultRequestHeaders.Remove("X-SPINNAKER-USER");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/pipelines/{id}/stages/{stageId}")
        {
            Content = Json(new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = "ship" }),
        };
        request.Headers.Add("X-SPINNAKER-USER", "alice");
        var response = await _client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        var outputs = Stage(execution, "1")["outputs"]!;
        Assert.Equal("continue", outputs["judgmentStatus"]!.GetValue<string>());
        Assert.Equal("ship", outputs["judgmentInput"]!.GetValue<string>());
        Assert.Equal("alice", outputs["judgedBy"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "2")));
    }

    [Fact]
    public async Task Stop_FailsThePipeline()
    {
        var (id, stageId) = await StartJudgmentAsync("judge-stop");

        var response = await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = "stop" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var execution = await _client.WaitForStatusAsync(id, "TERMINAL");
        Assert.Equal("TERMINAL", Status(Stage(execution, "1")));
        Assert.Equal("NOT_STARTED", Status(Stage(execution, "2")));
    }

    [Fact]
    public async Task InputNotAmongJudgmentInputs_IsRejected()
    {
        var (id, stageId) = await StartJudgmentAsync("judge-bad-input");

        var response = await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}",
            new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = "yolo" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("yolo", await response.Content.ReadAsStringAsync());
        Assert.Equal("RUNNING", Status(Stage(await _client.GetExecutionAsync(id), "1")));
    }

    [Fact]
    public async Task RestartAfterStop_AsksForJudgmentAgain()
    {
        var (id, stageId) = await StartJudgmentAsync("judge-restart");
        await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = "stop" });
        await _client.WaitForStatusAsync(id, "TERMINAL");

        var restart = await _client.PutAsync($"/pipelines/{id}/stages/{stageId}/restart");
        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);

        var waiting = await _client.WaitForStageStatusAsync(id, "1", "RUNNING");
        Assert.Equal("RUNNING", Status(waiting));
        Assert.Null(Stage(waiting, "1")["context"]!["judgmentStatus"]);
        Assert.NotNull(Stage(waiting, "1")["context"]!["restartDetails"]);

        await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = "continue" });
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "2")));
    }
}
