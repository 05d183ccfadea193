using System.Net;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.PluginTests.TestHost;
using Delivery.Orchestrator.TestPlugin;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.PluginTests.Callbacks;

/// <summary>
/// A stage type from another assembly starts work in a fake external service and is woken by its correlated reply
/// (<c>AddTaskCallback</c>), as clouddriver's deploy stages will be.
/// </summary>
[Collection(nameof(PluginCollection))]
public sealed class TaskCallbackTests(PluginFixture fixture)
{
    private readonly Tests.TestHost.DeliveryClient _client = fixture.Client;

    [Fact]
    public async Task AReply_CompletesTheStage_WithItsData_AndTheTaskRanOnlyAtStartAndOnTheReply()
    {
        var id = await RunAsync("callback-succeeds", Operation("succeed", input: "v7", delayMs: 400));

        var done = await _client.WaitForStatusAsync(id, "SUCCEEDED");

        var stage = Stage(done, "1");
        Assert.Equal("app-v001", stage["outputs"]!["serverGroup"]!.GetValue<string>());
        Assert.Equal("v7", stage["outputs"]!["input"]!.GetValue<string>());
        // Not polled while the service worked for 400 ms: one run sent the command, the reply ran it once more.
        Assert.Equal(2, fixture.Runs.Of(id));
        Assert.Equal(2, Runs(stage));
        var operationId = stage["context"]!["operationId"]!.GetValue<string>();
        var kept = stage["tasks"]![0]!["callbacks"]![operationId]!;
        Assert.True(kept["succeeded"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AFailedReply_MakesTheStageTerminal_WithTheReplysError()
    {
        var id = await RunAsync("callback-fails", Operation("fail"));

        var failed = await _client.WaitForStatusAsync(id, "TERMINAL");

        var stage = Stage(failed, "1");
        Assert.Equal("TERMINAL", Status(stage));
        Assert.Contains("quota exceeded in fake-region-1", Error(stage));
        Assert.Equal(2, Runs(stage));
    }

    [Fact]
    public async Task NoReply_TheTaskTimeoutFailsTheStage()
    {
        var id = await RunAsync("callback-never-comes", Operation("none"));

        var failed = await _client.WaitForStatusAsync(id, "TERMINAL", TimeSpan.FromSeconds(15));

        var stage = Stage(failed, "1");
        Assert.Contains("timed out after 00:00:03", Error(stage));
        var task = stage["tasks"]![0]!.AsObject();
        Assert.True(Time(task, "endTime") - Time(task, "startTime") >= 3_000);
        // The deadline fails the task without running it again.
        Assert.Equal(1, fixture.Runs.Of(id));
    }

    [Fact]
    public async Task ADuplicateReply_IsHarmless()
    {
        var id = await RunAsync("callback-twice", Operation("twice"));
        var done = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        var stage = Stage(done, "1");

        // And once more, late, after the task completed.
        var operationId = stage["context"]!["operationId"]!.GetValue<string>();
        await fixture.Bus.Publish(new FakeOperationCompleted(operationId, id, stage["id"]!.GetValue<string>(), "1", false, "a late duplicate", null));
        await Task.Delay(500);

        var after = await _client.GetExecutionAsync(id);
        Assert.Equal("SUCCEEDED", Status(after));
        Assert.Equal(2, Runs(Stage(after, "1")));
        Assert.Single(Stage(after, "1")["tasks"]![0]!["callbacks"]!.AsObject());
        Assert.Equal(Time(Stage(done, "1"), "endTime"), Time(Stage(after, "1"), "endTime"));
    }

    [Fact]
    public async Task AReplyTooLargeToKeep_FailsTheStageAtOnce_NamingTheBound_NotByItsTimeout()
    {
        var id = await RunAsync("callback-too-large", Operation("none"));
        var running = Stage(await _client.WaitForAsync(id, e => Stage(e, "1")["context"]?["operationId"] is not null), "1");
        var operationId = running["context"]!["operationId"]!.GetValue<string>();

        var error = new string('x', 70_000);
        await fixture.Bus.Publish(new FakeOperationCompleted(operationId, id, running["id"]!.GetValue<string>(), "1", false, error, null));

        var failed = Stage(await _client.WaitForStatusAsync(id, "TERMINAL"), "1");
        var reason = Error(failed);
        Assert.Contains($"could not keep the reply '{operationId}'", reason);
        Assert.Contains($"exceeds {Abstractions.TaskCallbacks.MaxPayloadBytes} bytes", reason);
        Assert.DoesNotContain("timed out", reason);
        Assert.DoesNotContain(error, reason);
        Assert.Equal(1, Runs(failed));
    }

    [Fact]
    public async Task RepliesForNoExecution_AreDropped_AndTheConsumerKeepsWorking()
    {
        await fixture.Bus.Publish(new FakeOperationCompleted("op-1", "no-such-execution", "no-stage", "1", true, null, "{}"));
        await fixture.Bus.Publish(new FakeOperationCompleted("op-2", null!, null!, null!, true, null, "{}"));

        var id = await RunAsync("callback-after-strays", Operation("succeed"));

        await _client.WaitForStatusAsync(id, "SUCCEEDED");
    }

    [Fact]
    public async Task ARestartedStage_SendsANewCommand_AndReadsOnlyItsNewReply()
    {
        var id = await RunAsync("callback-restart", Operation("succeed"));
        var first = Stage(await _client.WaitForStatusAsync(id, "SUCCEEDED"), "1");

        var restart = await _client.PutAsync($"/pipelines/{id}/stages/{first["id"]}/restart");
        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        var again = Stage(await _client.WaitForAsync(id, e => Status(e) == "SUCCEEDED" && Stage(e, "1")["context"]!["restartDetails"] is not null), "1");

        Assert.NotEqual(first["context"]!["operationId"]!.GetValue<string>(), again["context"]!["operationId"]!.GetValue<string>());
        Assert.Equal(2, Runs(again));
        Assert.Equal(4, fixture.Runs.Of(id));
    }

    [Fact]
    public async Task ACommandTypeNobodyRegistered_FailsTheStage_NamingTheRegistration()
    {
        var operation = Operation("succeed");
        operation["sendUnregistered"] = true;
        var id = await RunAsync("callback-unregistered-command", operation);

        var failed = await _client.WaitForStatusAsync(id, "TERMINAL");

        Assert.Contains("services.AddTaskMessage<UnregisteredCommand>()", Error(Stage(failed, "1")));
    }

    private async Task<string> RunAsync(string name, JsonObject stage) =>
        await _client.TriggerAsync("test", await _client.SaveStagesAsync(name, stage));

    private static JsonObject Operation(string reply, string input = "v1", int delayMs = 100) => new()
    {
        ["refId"] = "1",
        ["type"] = "fakeOperation",
        ["name"] = "fake operation",
        ["input"] = input,
        ["reply"] = reply,
        ["delayMs"] = delayMs,
    };

    private static int Runs(JsonObject stage) => stage["context"]!["runs"]!.GetValue<int>();

    private static string Error(JsonObject stage) => stage["context"]!["exception"]!["details"]!["error"]!.GetValue<string>();
}
