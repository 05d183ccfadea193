using System.Net;
using System.Text.Json.Nodes;
using Delivery.Gate.Tests.TestHost;

namespace Delivery.Gate.Tests.Endpoints;

/// <summary>Controls of a running execution: cancel, pause, resume, restart, skip and judgment (PATCH).</summary>
public sealed class PipelineControlEndpointsTests(GateFactory factory) : IClassFixture<GateFactory>
{
    private const string UnknownExecution = "01HZZZZZZZZZZZZZZZZZZZZZZZ";

    private readonly GateClient _client = factory.CreateGateClient();

    private readonly string _app = GateClient.Unique("control");

    private async Task<(string Id, string StageId)> RunningAsync(string refId, params JsonObject[] stages)
    {
        var id = await _client.RunAsync(_app, stages);
        var execution = await _client.WaitForStageStatusAsync(id, refId, "RUNNING");
        return (id, GateClient.StageId(execution, refId));
    }

    [Fact]
    public async Task Cancel_ARunningExecution_CancelsItAndRecordsWhoAndWhy()
    {
        var (id, _) = await RunningAsync("1", GateClient.Wait("1", 60), GateClient.Wait("2", 0, "1"));

        var response = await _client.PutAsync($"/pipelines/{id}/cancel?reason=wrong%20build", user: "bob");

        var answer = await GateClient.OkJsonAsync(response);
        Assert.Equal("CANCELED", GateClient.Status(answer.AsObject()));
        var execution = await _client.GetExecutionAsync(id);
        Assert.Equal("CANCELED", GateClient.Status(execution));
        Assert.True(execution["canceled"]!.GetValue<bool>());
        Assert.Equal("bob", execution["canceledBy"]!.GetValue<string>());
        Assert.Equal("wrong build", execution["cancellationReason"]!.GetValue<string>());
        Assert.Equal("CANCELED", GateClient.Status(GateClient.Stage(execution, "1")));
        Assert.Equal("NOT_STARTED", GateClient.Status(GateClient.Stage(execution, "2")));
    }

    [Fact]
    public async Task Cancel_ACompletedExecution_LeavesItsStatus()
    {
        var id = await _client.RunAsync(_app, GateClient.Wait("1", 0));
        await _client.WaitForStatusAsync(id, "SUCCEEDED");

        var answer = await GateClient.OkJsonAsync(await _client.PutAsync($"/pipelines/{id}/cancel"));

        Assert.Equal("SUCCEEDED", GateClient.Status(answer.AsObject()));
        Assert.Equal("SUCCEEDED", GateClient.Status(await _client.GetExecutionAsync(id)));
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("pause")]
    [InlineData("resume")]
    public async Task Control_OfAnUnknownExecution_Returns404ProblemNamingIt(string action)
    {
        var response = await _client.PutAsync($"/pipelines/{UnknownExecution}/{action}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, UnknownExecution);
    }

    [Fact]
    public async Task PauseThenResume_HoldsTheExecutionThenRunsItToTheEnd()
    {
        var (id, stageId) = await RunningAsync("1", GateClient.Wait("1", 60), GateClient.Wait("2", 0, "1"));

        var paused = (await GateClient.OkJsonAsync(await _client.PutAsync($"/pipelines/{id}/pause", user: "carol"))).AsObject();

        Assert.Equal("PAUSED", GateClient.Status(paused));
        Assert.Equal("carol", paused["paused"]!["pausedBy"]!.GetValue<string>());
        Assert.Equal("PAUSED", GateClient.Status(GateClient.Stage(paused, "1")));

        var resumed = (await GateClient.OkJsonAsync(await _client.PutAsync($"/pipelines/{id}/resume", user: "dan"))).AsObject();

        Assert.Equal("RUNNING", GateClient.Status(resumed));
        Assert.Equal("dan", resumed["paused"]!["resumedBy"]!.GetValue<string>());
        Assert.Equal("RUNNING", GateClient.Status(GateClient.Stage(resumed, "1")));
        await GateClient.OkJsonAsync(await _client.PutAsync($"/pipelines/{id}/stages/{stageId}/skip"));
        var done = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("SUCCEEDED", GateClient.Status(GateClient.Stage(done, "2")));
    }

    [Fact]
    public async Task Resume_ARunningExecution_Returns409ProblemSayingWhy()
    {
        var (id, _) = await RunningAsync("1", GateClient.Wait("1", 60));

        var response = await _client.PutAsync($"/pipelines/{id}/resume");

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "RUNNING", "PAUSED");
        Assert.Equal("RUNNING", GateClient.Status(await _client.GetExecutionAsync(id)));
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }

    [Fact]
    public async Task Pause_ACompletedExecution_Returns409ProblemSayingWhy()
    {
        var id = await _client.RunAsync(_app, GateClient.Wait("1", 0));
        await _client.WaitForStatusAsync(id, "SUCCEEDED");

        var response = await _client.PutAsync($"/pipelines/{id}/pause");

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "SUCCEEDED", "RUNNING");
    }

    [Fact]
    public async Task Skip_ARunningWait_SkipsItAndStartsWhatFollows()
    {
        var (id, stageId) = await RunningAsync("1", GateClient.Wait("1", 60), GateClient.Wait("2", 0, "1"));

        var response = await _client.PutAsync($"/pipelines/{id}/stages/{stageId}/skip", user: "erin");

        await GateClient.OkJsonAsync(response);
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        var skipped = GateClient.Stage(execution, "1");
        Assert.Equal("SKIPPED", GateClient.Status(skipped));
        Assert.Equal("erin", skipped["context"]!["skippedBy"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", GateClient.Status(GateClient.Stage(execution, "2")));
    }

    [Fact]
    public async Task Skip_ACompletedStage_Returns409ProblemNamingTheStage()
    {
        var id = await _client.RunAsync(_app, GateClient.Wait("1", 0));
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");

        var response = await _client.PutAsync($"/pipelines/{id}/stages/{GateClient.StageId(execution, "1")}/skip");

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "wait 1", "SUCCEEDED");
    }

    [Theory]
    [InlineData("skip")]
    [InlineData("restart")]
    public async Task StageControl_OfAnUnknownStage_Returns404ProblemNamingIt(string action)
    {
        var (id, _) = await RunningAsync("1", GateClient.Wait("1", 60));

        var response = await _client.PutAsync($"/pipelines/{id}/stages/no-such-stage/{action}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "no-such-stage");
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }

    [Theory]
    [InlineData("skip")]
    [InlineData("restart")]
    public async Task StageControl_OfAnUnknownExecution_Returns404ProblemNamingIt(string action)
    {
        var response = await _client.PutAsync($"/pipelines/{UnknownExecution}/stages/s/{action}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, UnknownExecution);
    }

    [Fact]
    public async Task Restart_AStoppedJudgment_ReopensTheExecutionAndClearsTheOldJudgment()
    {
        var (id, stageId) = await RunningAsync("1", GateClient.Judgment("1"), GateClient.Wait("2", 0, "1"));
        await GateClient.OkJsonAsync(await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = "stop" }));
        await _client.WaitForStatusAsync(id, "TERMINAL");

        var response = await _client.PutAsync($"/pipelines/{id}/stages/{stageId}/restart", user: "frank");

        await GateClient.OkJsonAsync(response);
        var running = await _client.WaitForStageStatusAsync(id, "1", "RUNNING");
        Assert.Equal("RUNNING", GateClient.Status(running));
        var stage = GateClient.Stage(running, "1");
        Assert.Null(stage["context"]!["judgmentStatus"]);
        Assert.Equal("frank", stage["context"]!["restartDetails"]!["restartedBy"]!.GetValue<string>());
        await GateClient.OkJsonAsync(await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = "continue" }));
        var done = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("SUCCEEDED", GateClient.Status(GateClient.Stage(done, "2")));
    }

    [Fact]
    public async Task Restart_ARunningStage_Returns409ProblemSayingWhy()
    {
        var (id, stageId) = await RunningAsync("1", GateClient.Wait("1", 60));

        var response = await _client.PutAsync($"/pipelines/{id}/stages/{stageId}/restart");

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "wait 1", "RUNNING");
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }

    [Fact]
    public async Task Judgment_Continue_SucceedsTheStageAndRecordsTheJudgeAndInput()
    {
        var (id, stageId) = await RunningAsync("1", GateClient.Judgment("1", "ship", "hold"), GateClient.Wait("2", 0, "1"));

        var response = await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}",
            new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = "ship" }, user: "grace");

        await GateClient.OkJsonAsync(response);
        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        var outputs = GateClient.Stage(execution, "1")["outputs"]!;
        Assert.Equal("continue", outputs["judgmentStatus"]!.GetValue<string>());
        Assert.Equal("ship", outputs["judgmentInput"]!.GetValue<string>());
        Assert.Equal("grace", outputs["judgedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Judgment_Stop_FailsThePipeline()
    {
        var (id, stageId) = await RunningAsync("1", GateClient.Judgment("1"), GateClient.Wait("2", 0, "1"));

        await GateClient.OkJsonAsync(await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = "STOP" }));

        var execution = await _client.WaitForStatusAsync(id, "TERMINAL");
        Assert.Equal("TERMINAL", GateClient.Status(GateClient.Stage(execution, "1")));
        Assert.Equal("NOT_STARTED", GateClient.Status(GateClient.Stage(execution, "2")));
    }

    [Theory]
    [InlineData("\"maybe\"")]
    [InlineData("true")]
    [InlineData("\"\"")]
    public async Task Judgment_WithAStatusOtherThanContinueOrStop_Returns400AndLeavesTheStageWaiting(string status)
    {
        var (id, stageId) = await RunningAsync("1", GateClient.Judgment("1"));

        var response = await _client.SendAsync(HttpMethod.Patch, $"/pipelines/{id}/stages/{stageId}", $"{{\"judgmentStatus\":{status}}}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "judgmentStatus", "continue", "stop");
        var execution = await _client.GetExecutionAsync(id);
        Assert.Equal("RUNNING", GateClient.Status(GateClient.Stage(execution, "1")));
        Assert.Null(GateClient.Stage(execution, "1")["context"]!["judgmentStatus"]);
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }

    [Fact]
    public async Task Judgment_WithAnInputNotAmongTheJudgmentInputs_Returns400NamingTheChoices()
    {
        var (id, stageId) = await RunningAsync("1", GateClient.Judgment("1", "ship", "hold"));

        var response = await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}",
            new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = "yolo" });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "yolo", "ship", "hold");
        Assert.Equal("RUNNING", GateClient.Status(GateClient.Stage(await _client.GetExecutionAsync(id), "1")));
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }

    [Fact]
    public async Task Judgment_OnAnUnknownStage_Returns404ProblemNamingIt()
    {
        var (id, _) = await RunningAsync("1", GateClient.Judgment("1"));

        var response = await _client.PatchAsync($"/pipelines/{id}/stages/nope", new JsonObject { ["judgmentStatus"] = "continue" });

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "nope");
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }

    [Fact]
    public async Task Judgment_OnAnUnknownExecution_Returns404ProblemNamingIt()
    {
        var response = await _client.PatchAsync($"/pipelines/{UnknownExecution}/stages/s", new JsonObject { ["judgmentStatus"] = "continue" });

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, UnknownExecution);
    }

    [Fact]
    public async Task Judgment_OnACompletedStage_Returns409()
    {
        var (id, stageId) = await RunningAsync("1", GateClient.Judgment("1"));
        await GateClient.OkJsonAsync(await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = "continue" }));
        await _client.WaitForStatusAsync(id, "SUCCEEDED");

        var response = await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = "stop" });

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "judge 1", "SUCCEEDED");
        Assert.Equal("SUCCEEDED", GateClient.Status(await _client.GetExecutionAsync(id)));
    }

    [Fact]
    public async Task Patch_SkipRemainingWait_EndsAWaitAtOnce()
    {
        var (id, stageId) = await RunningAsync("1", GateClient.Wait("1", 60));

        await GateClient.OkJsonAsync(await _client.PatchAsync($"/pipelines/{id}/stages/{stageId}", new JsonObject { ["skipRemainingWait"] = true }));

        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("SUCCEEDED", GateClient.Status(GateClient.Stage(execution, "1")));
    }
}
