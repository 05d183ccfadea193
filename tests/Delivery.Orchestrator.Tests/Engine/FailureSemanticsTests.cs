using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>A failing branch, as Spinnaker's Orca settles it for each failure option of the stage.</summary>
[Collection(nameof(EngineCollection))]
public sealed class FailureSemanticsTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private static JsonObject Fail(string refId, JsonObject options, params string[] requisites)
    {
        var stage = new JsonObject
        {
            ["refId"] = refId,
            ["type"] = "testFail",
            ["name"] = $"fail {refId}",
            ["requisiteStageRefIds"] = new JsonArray([.. requisites.Select(r => (JsonNode)r)]),
        };
        foreach (var (key, value) in options)
        {
            stage[key] = value?.DeepClone();
        }
        return stage;
    }

    /// <summary>1 -> (wait 0.2 s -> 2 fails, 3 waits) -> 4: the other branch is running when 2 fails.</summary>
    private async Task<string> RunBranchesAsync(string name, JsonObject failOptions, double otherBranchSeconds = 0.6)
    {
        await _client.SaveStagesAsync(name,
            Wait("1", 0), Wait("2a", 0.2, "1"), Fail("2", failOptions, "2a"), Wait("3", otherBranchSeconds, "1"), Wait("4", 0, "2", "3"));
        return await _client.TriggerAsync("test", name);
    }

    [Fact]
    public async Task FailPipeline_Default_FailsExecutionAndCancelsOtherBranch()
    {
        var id = await RunBranchesAsync("fail-pipeline", [], otherBranchSeconds: 30);

        var execution = await _client.WaitForStatusAsync(id, "TERMINAL");

        Assert.Equal("TERMINAL", Status(Stage(execution, "2")));
        Assert.Equal("CANCELED", Status(Stage(execution, "3")));
        Assert.Equal("NOT_STARTED", Status(Stage(execution, "4")));
        Assert.Equal("failed on purpose", Stage(execution, "2")["context"]!["exception"]!["details"]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task ContinuePipeline_MarksFailedContinueAndRunsDownstream()
    {
        var id = await RunBranchesAsync("continue-pipeline", new JsonObject { ["continuePipeline"] = true, ["failPipeline"] = false });

        var execution = await _client.WaitForStatusAsync(id, "SUCCEEDED");

        Assert.Equal("FAILED_CONTINUE", Status(Stage(execution, "2")));
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "3")));
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "4")));
    }

    [Fact]
    public async Task HaltBranch_StopsBranchAndExecutionSucceedsOnceOthersFinish()
    {
        var id = await RunBranchesAsync("halt-branch", new JsonObject { ["failPipeline"] = false, ["continuePipeline"] = false });

        var execution = await _client.WaitForAsync(id, e => Status(e) is "SUCCEEDED" or "TERMINAL");

        Assert.Equal("SUCCEEDED", Status(execution));
        Assert.Equal("STOPPED", Status(Stage(execution, "2")));
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "3")));
        Assert.Equal("NOT_STARTED", Status(Stage(execution, "4")));
    }

    [Fact]
    public async Task CompleteOtherBranchesThenFail_LetsOtherBranchFinishThenFails()
    {
        var id = await RunBranchesAsync("other-branches-then-fail",
            new JsonObject { ["failPipeline"] = false, ["continuePipeline"] = false, ["completeOtherBranchesThenFail"] = true });

        var running = await _client.WaitForStageStatusAsync(id, "2", "STOPPED");
        Assert.Equal("RUNNING", Status(running));

        var execution = await _client.WaitForAsync(id, e => Status(e) is "SUCCEEDED" or "TERMINAL");

        Assert.Equal("TERMINAL", Status(execution));
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "3")));
        Assert.Equal("NOT_STARTED", Status(Stage(execution, "4")));
        Assert.True(Time(execution, "endTime") >= Time(Stage(execution, "3"), "endTime"));
    }

    [Fact]
    public async Task StageTimeout_FailsTheStageNamingTheTimeout()
    {
        var wait = Wait("1", 30);
        wait["stageTimeoutMs"] = 200;
        var name = await _client.SaveStagesAsync("stage-timeout", wait);

        var execution = await _client.WaitForStatusAsync(await _client.TriggerAsync("test", name), "TERMINAL", TimeSpan.FromSeconds(5));

        var stage = Stage(execution, "1");
        Assert.Equal("TERMINAL", Status(stage));
        Assert.Contains("stageTimeoutMs", stage["context"]!["exception"]!["details"]!["error"]!.GetValue<string>());
        Assert.InRange(Time(stage, "endTime") - Time(stage, "startTime"), 200, 3_000);
    }

    [Fact]
    public async Task HaltedBranch_ThroughANotStartedStage_EndsTheExecutionAsOrcaDoes()
    {
        // A (failPipeline: false) fails -> B -> D, and C -> D: A halts while C runs; C's end reaches D,
        // which can never start because B never will. Orca ends it SUCCEEDED with B and D NOT_STARTED.
        await _client.SaveStagesAsync("zombie-shape",
            Fail("A", new JsonObject { ["failPipeline"] = false }), Wait("B", 0, "A"), Wait("C", 0.3), Wait("D", 0, "B", "C"));

        var execution = await _client.WaitForAsync(await _client.TriggerAsync("test", "zombie-shape"),
            e => Status(e) is not ("RUNNING" or "NOT_STARTED"), TimeSpan.FromSeconds(10));

        Assert.Equal("SUCCEEDED", Status(execution));
        Assert.Equal("STOPPED", Status(Stage(execution, "A")));
        Assert.Equal("NOT_STARTED", Status(Stage(execution, "B")));
        Assert.Equal("SUCCEEDED", Status(Stage(execution, "C")));
        Assert.Equal("NOT_STARTED", Status(Stage(execution, "D")));
    }
}
