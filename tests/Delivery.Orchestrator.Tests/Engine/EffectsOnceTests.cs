using System.Net;
using System.Text.Json.Nodes;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Tests.TestHost;
using Delivery.Orchestrator.Timers;
using Microsoft.Extensions.DependencyInjection;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>
/// Each effect once (issue 7, section 5), on the engine's own stages: a redelivered gate request is applied once, an
/// ended task leaves no timer, a stage takes only the input its type allows, and a trigger cannot link itself to another
/// execution's stage.
/// </summary>
[Collection(nameof(EngineCollection))]
public sealed class EffectsOnceTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private ExecutionEngine Engine => fixture.Factory.Services.GetRequiredService<ExecutionEngine>();

    [Fact]
    public async Task PauseRedeliveredAfterResume_DoesNotPauseAgain()
    {
        var id = await _client.TriggerAsync("test", await _client.SaveStagesAsync("pause-redelivered", Wait("1", 2)));
        await _client.WaitForStageStatusAsync(id, "1", "RUNNING");

        await Engine.ProcessAsync(id, "pause-1", new PauseExecution(id, "ann"), CancellationToken.None);
        await _client.WaitForStatusAsync(id, "PAUSED");
        await Engine.ProcessAsync(id, "resume-1", new ResumeExecution(id, "ann"), CancellationToken.None);
        // However much else happened since, the same pause is recognized.
        await Engine.ProcessAsync(id, "pause-1", new PauseExecution(id, "ann"), CancellationToken.None);

        var execution = await _client.GetExecutionAsync(id);
        Assert.Equal("RUNNING", Status(execution));
        // The engine's memory of requests is its own: the execution the API shows has no trace of it.
        Assert.Null(execution["appliedRequests"]);
        await _client.WaitForStatusAsync(id, "SUCCEEDED");
    }

    [Fact]
    public async Task RestartRedelivered_RestartsOnce()
    {
        var id = await _client.TriggerAsync("test", await _client.SaveStagesAsync("restart-redelivered", Wait("1", 0), Wait("2", 0, "1")));
        var done = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        var stageId = Stage(done, "1")["id"]!.GetValue<string>();

        await Engine.ProcessAsync(id, "restart-1", new RestartStage(id, stageId, "ann"), CancellationToken.None);
        var restarted = await _client.WaitForAsync(id, e => Status(e) == "SUCCEEDED" && Stage(e, "1")["context"]?["restartDetails"] is not null);
        var first = Time(Stage(restarted, "1")["context"]!["restartDetails"]!.AsObject(), "restartTime");
        await Engine.ProcessAsync(id, "restart-1", new RestartStage(id, stageId, "ann"), CancellationToken.None);

        var after = await _client.GetExecutionAsync(id);
        Assert.Equal("SUCCEEDED", Status(after));
        Assert.Equal(first, Time(Stage(after, "1")["context"]!["restartDetails"]!.AsObject(), "restartTime"));
    }

    [Fact]
    public async Task JudgedStage_LeavesNoTimeoutTimer()
    {
        var id = await _client.TriggerAsync("test", await _client.SaveStagesAsync("judged-timer",
            new JsonObject { ["refId"] = "1", ["type"] = "manualJudgment", ["name"] = "gate" }));
        var running = await _client.WaitForStageStatusAsync(id, "1", "RUNNING");
        var key = StageGraph.TimerKey(id, Stage(running, "1")["id"]!.GetValue<string>(), "1");
        var timers = fixture.Factory.Services.GetRequiredService<ITimerStore>();
        Assert.True(await WaitUntil(() => timers.ExistsAsync(key)), "the judgment's 3-day timeout timer was never scheduled");

        await _client.PatchAsync($"/pipelines/{id}/stages/{Stage(running, "1")["id"]}", new JsonObject { ["judgmentStatus"] = "continue" });
        await _client.WaitForStatusAsync(id, "SUCCEEDED");

        Assert.True(await WaitUntil(async () => !await timers.ExistsAsync(key)), "the ended judgment's timer is still scheduled");
    }

    [Fact]
    public async Task CanceledTask_LeavesNoTimer()
    {
        var id = await _client.TriggerAsync("test", await _client.SaveStagesAsync("canceled-timer", Wait("1", 600)));
        var running = await _client.WaitForStageStatusAsync(id, "1", "RUNNING");
        var key = StageGraph.TimerKey(id, Stage(running, "1")["id"]!.GetValue<string>(), "1");
        var timers = fixture.Factory.Services.GetRequiredService<ITimerStore>();
        Assert.True(await WaitUntil(() => timers.ExistsAsync(key)));

        await _client.PutAsync($"/pipelines/{id}/cancel");
        await _client.WaitForStatusAsync(id, "CANCELED");

        Assert.True(await WaitUntil(async () => !await timers.ExistsAsync(key)), "the canceled wait's timer is still scheduled");
    }

    [Theory]
    [InlineData("wait", """{"skipRemainingWait": true, "waitTime": 0}""", "waitTime")]
    [InlineData("manualJudgment", """{"judgmentStatus": "continue", "exception": {"details": {}}}""", "exception")]
    [InlineData("manualJudgment", """{"stageTimeoutMs": 1}""", "stageTimeoutMs")]
    [InlineData("wait", """{"skipRemainingWait": "yes"}""", "skipRemainingWait")]
    [InlineData("wait", """{"skipRemainingWait": 0}""", "skipRemainingWait")]
    [InlineData("manualJudgment", """{"judgmentStatus": "continue", "judgmentInput": {"a": 1}}""", "judgmentInput")]
    public async Task StageUpdate_OutsideTheTypesFields_IsRefusedAndChangesNothing(string type, string patch, string refused)
    {
        var stage = new JsonObject { ["refId"] = "1", ["type"] = type, ["name"] = "s", ["waitTime"] = 30 };
        var id = await _client.TriggerAsync("test", await _client.SaveStagesAsync($"update-allow-list-{refused}-{type}", stage));
        var running = await _client.WaitForStageStatusAsync(id, "1", "RUNNING");

        var response = await _client.PatchAsync($"/pipelines/{id}/stages/{Stage(running, "1")["id"]}", JsonNode.Parse(patch)!.AsObject());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(refused, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await _client.GetExecutionAsync(id);
        Assert.Equal("RUNNING", Status(Stage(after, "1")));
        Assert.Equal(Stage(running, "1")["context"]![refused]?.ToJsonString(), Stage(after, "1")["context"]![refused]?.ToJsonString());
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }

    [Theory]
    [InlineData("parentExecution")]
    [InlineData("parentExecutionId")]
    [InlineData("parentPipelineStageId")]
    public async Task TriggerNamingAParent_IsRefusedAndLinksNothing(string field)
    {
        var parent = await _client.TriggerAsync("test", await _client.SaveStagesAsync("would-be-parent", Wait("1", 30)));
        var running = await _client.WaitForStageStatusAsync(parent, "1", "RUNNING");
        var trigger = new JsonObject
        {
            [field] = field == "parentExecution" ? new JsonObject { ["id"] = parent, ["application"] = "prod" } : parent,
            ["parentPipelineStageId"] = Stage(running, "1")["id"]!.GetValue<string>(),
        };
        var name = await _client.SaveStagesAsync($"forged-child-{field}", Wait("1", 0));

        using var response = await _client.Http.PostAsync($"/pipelines/test/{name}", Json(trigger));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("RUNNING", Status(Stage(await _client.GetExecutionAsync(parent), "1")));
        await _client.PutAsync($"/pipelines/{parent}/cancel");
    }

    private static async Task<bool> WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(10);
        }
        return true;
    }
}
