using System.Net;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>
/// Restart as Orca's RestartStageHandler does it (issue 7, section 1): stages are evaluated afresh from their definition,
/// running downstream work is canceled first, a synthetic stage restarts its top-level parent, and a PAUSED execution
/// must be resumed first. A restart queued behind a <c>limitConcurrent</c> pipeline's running execution: <see cref="QueuedRestartTests"/>.
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

    [Theory]
    [InlineData("before")]
    [InlineData("after")]
    public async Task RestartOfASyntheticStage_RestartsItsTopLevelParentAndTheStagesDownstream(string child)
    {
        var name = await _client.SaveStagesAsync($"restart-synthetic-{child}",
            new JsonObject { ["refId"] = "1", ["type"] = "testWrapped", ["name"] = "wrapped", ["waitTime"] = 0 }, Wait("2", 0, "1"));
        var id = await _client.TriggerAsync("test", name);
        var done = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        var firstChildren = Children(done, "1").Select(c => c["id"]!.GetValue<string>()).ToList();
        Assert.Equal(2, firstChildren.Count);
        var synthetic = Children(done, "1").Single(c => c["name"]!.GetValue<string>() == child)["id"]!.GetValue<string>();

        var restart = await _client.PutAsync($"/pipelines/{id}/stages/{synthetic}/restart");

        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        var again = await _client.WaitForAsync(id, e => Status(e) == "SUCCEEDED" && Stage(e, "1")["context"]?["restartDetails"] is not null);
        var restartTime = Time(Stage(again, "1")["context"]!["restartDetails"]!.AsObject(), "restartTime");
        // The parent ran again from its before stage, planned anew: the first run's synthetic stages are gone.
        var children = Children(again, "1");
        Assert.Equal(new[] { "after", "before" }, children.Select(c => c["name"]!.GetValue<string>()).Order());
        Assert.DoesNotContain(children, c => firstChildren.Contains(c["id"]!.GetValue<string>()));
        Assert.All(children, c => Assert.Equal("SUCCEEDED", Status(c)));
        Assert.All(children, c => Assert.True(Time(c, "startTime") >= restartTime));
        Assert.DoesNotContain(again["stages"]!.AsArray(), s => s!["id"]!.GetValue<string>() == synthetic);
        Assert.True(Time(Stage(again, "1"), "startTime") >= restartTime);
        // Downstream was reset and ran after the parent.
        Assert.True(Time(Stage(again, "2"), "startTime") >= Time(Stage(again, "1"), "endTime"));
    }

    private static List<JsonObject> Children(JsonObject execution, string parentRefId) =>
        [.. execution["stages"]!.AsArray().Select(s => s!.AsObject())
            .Where(s => s["parentStageId"]?.GetValue<string>() == Stage(execution, parentRefId)["id"]!.GetValue<string>())];

    [Fact]
    public async Task RestartInAPausedExecution_IsRefusedAndLeavesItPaused()
    {
        var id = await _client.TriggerAsync("test", await _client.SaveStagesAsync("restart-paused", Wait("1", 0), Wait("2", 30, "1")));
        var running = await _client.WaitForStageStatusAsync(id, "2", "RUNNING");
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsync($"/pipelines/{id}/pause")).StatusCode);
        await _client.WaitForStatusAsync(id, "PAUSED");

        var refused = await _client.PutAsync($"/pipelines/{id}/stages/{Stage(running, "1")["id"]}/restart");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("PAUSED", await refused.Content.ReadAsStringAsync());
        var after = await _client.GetExecutionAsync(id);
        Assert.Equal("PAUSED", Status(after));
        Assert.Null(Stage(after, "1")["context"]?["restartDetails"]);
        Assert.Equal(Time(Stage(running, "1"), "endTime"), Time(Stage(after, "1"), "endTime"));
        await _client.PutAsync($"/pipelines/{id}/cancel");
    }
}
