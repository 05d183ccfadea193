using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>Cancel, pause, resume and skip through the API.</summary>
[Collection(nameof(EngineCollection))]
public sealed class ExecutionControlTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    [Fact]
    public async Task Cancel_StopsRunningExecutionWithinOneSecondAndStartsNothingMore()
    {
        var name = await _client.SaveStagesAsync("cancel", Wait("1", 30), Wait("2", 0, "1"));
        var id = await _client.TriggerAsync("test", name);
        await _client.WaitForStageStatusAsync(id, "1", "RUNNING");

        var watch = Stopwatch.StartNew();
        var response = await _client.PutAsync($"/pipelines/{id}/cancel?reason=enough");
        var execution = await _client.WaitForStatusAsync(id, "CANCELED", TimeSpan.FromSeconds(1));
        Assert.True(watch.ElapsedMilliseconds < 1_000, $"cancel took {watch.ElapsedMilliseconds} ms");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CANCELED", Status(Stage(execution, "1")));
        Assert.Equal("enough", execution["cancellationReason"]!.GetValue<string>());
        await Task.Delay(500);
        var later = await _client.GetExecutionAsync(id);
        Assert.Equal("NOT_STARTED", Status(Stage(later, "2")));
        Assert.Equal("CANCELED", Status(later));
    }

    [Fact]
    public async Task PauseThenResume_HoldsTheExecutionAndThenFinishesIt()
    {
        var name = await _client.SaveStagesAsync("pause-resume", Wait("1", 0.3), Wait("2", 0, "1"));
        var id = await _client.TriggerAsync("test", name);
        await _client.WaitForStageStatusAsync(id, "1", "RUNNING");

        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsync($"/pipelines/{id}/pause")).StatusCode);
        await Task.Delay(600);
        var paused = await _client.GetExecutionAsync(id);
        Assert.Equal("PAUSED", Status(paused));
        Assert.Equal("PAUSED", Status(Stage(paused, "1")));
        Assert.Equal("NOT_STARTED", Status(Stage(paused, "2")));

        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsync($"/pipelines/{id}/resume")).StatusCode);
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "2")));
        Assert.True(execution["paused"]!["pausedMs"]!.GetValue<long>() >= 500);
    }

    [Fact]
    public async Task ResumeOfRunningExecution_IsAConflict()
    {
        var name = await _client.SaveStagesAsync("resume-running", Wait("1", 30));
        var id = await _client.TriggerAsync("test", name);
        await _client.WaitForStageStatusAsync(id, "1", "RUNNING");

        var response = await _client.PutAsync($"/pipelines/{id}/resume");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }

    [Fact]
    public async Task SkipWaitingStage_MarksItSkippedAndRunsDownstream()
    {
        var name = await _client.SaveStagesAsync("skip-wait", Wait("1", 60), Wait("2", 0, "1"));
        var id = await _client.TriggerAsync("test", name);
        var running = await _client.WaitForStageStatusAsync(id, "1", "RUNNING");

        var response = await _client.PutAsync($"/pipelines/{id}/stages/{Stage(running, "1")["id"]}/skip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("SKIPPED", Status(Stage(execution, "1")));
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "2")));
    }

    [Fact]
    public async Task SkipRemainingWait_EndsTheWaitAtOnce()
    {
        var name = await _client.SaveStagesAsync("skip-remaining-wait", Wait("1", 60));
        var id = await _client.TriggerAsync("test", name);
        var running = await _client.WaitForStageStatusAsync(id, "1", "RUNNING");

        await _client.PatchAsync($"/pipelines/{id}/stages/{Stage(running, "1")["id"]}", new JsonObject { ["skipRemainingWait"] = true });

        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED", TimeSpan.FromSeconds(2));
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "1")));
    }

    [Fact]
    public async Task RestartOfSucceededStage_RunsItAndItsDownstreamAgain()
    {
        var name = await _client.SaveStagesAsync("restart-succeeded", Wait("1", 0), Wait("2", 0, "1"), Wait("3", 0, "2"));
        var id = await _client.TriggerAsync("test", name);
        var first = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        var firstEnd = Time(Stage(first, "3"), "endTime");
        await Task.Delay(20);

        var response = await _client.PutAsync($"/pipelines/{id}/stages/{Stage(first, "2")["id"]}/restart");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var second = await _client.WaitForAsync(id, e => Status(e) == "SUCCEEDED" && Time(Stage(e, "3"), "endTime") > firstEnd);
        Assert.Equal(Time(Stage(first, "1"), "endTime"), Time(Stage(second, "1"), "endTime"));
        Assert.True(Time(Stage(second, "2"), "startTime") > Time(Stage(first, "2"), "startTime"));
    }
}
