using System.Net;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>Time spent PAUSED counts toward no timeout and no wait (Orca measures a stage's and a task's running time).</summary>
[Collection(nameof(EngineCollection))]
public sealed class PausedTimeTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private async Task PauseForAsync(string id, TimeSpan pause)
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsync($"/pipelines/{id}/pause")).StatusCode);
        await Task.Delay(pause);
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsync($"/pipelines/{id}/resume")).StatusCode);
    }

    [Fact]
    public async Task Wait_DoesNotCountTimePaused()
    {
        var id = await _client.TriggerAsync("test", await _client.SaveStagesAsync("paused-wait", Wait("1", 1)));
        await _client.WaitForStageStatusAsync(id, "1", "RUNNING");
        await PauseForAsync(id, TimeSpan.FromSeconds(1.2));

        var done = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        var stage = Stage(done, "1");
        // One second of waiting plus the pause; counted from the start, the wait would have been over at the resume.
        Assert.True(Time(stage, "endTime") - Time(stage, "startTime") >= 2_100, $"the wait took {Time(stage, "endTime") - Time(stage, "startTime")} ms");
    }

    [Fact]
    public async Task StageTimeout_DoesNotCountTimePaused()
    {
        var judgment = new JsonObject { ["refId"] = "1", ["type"] = "manualJudgment", ["name"] = "gate", ["stageTimeoutMs"] = 1_000 };
        var id = await _client.TriggerAsync("test", await _client.SaveStagesAsync("paused-timeout", judgment));
        await _client.WaitForStageStatusAsync(id, "1", "RUNNING");
        await PauseForAsync(id, TimeSpan.FromSeconds(1.5));

        // Past a second since the start, but well under a second of running time: it still runs.
        await Task.Delay(200);
        Assert.Equal("RUNNING", Status(Stage(await _client.GetExecutionAsync(id), "1")));
        var done = await _client.WaitForStatusAsync(id, "TERMINAL");
        Assert.Contains("timed out", Stage(done, "1")["context"]!["exception"]!["details"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
