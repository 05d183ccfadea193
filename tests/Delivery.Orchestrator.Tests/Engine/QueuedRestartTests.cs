using System.Net;
using System.Text.Json.Nodes;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>
/// A restart respects <c>limitConcurrent</c> as Orca's RestartStageHandler does (issue 7, section 1): restarting an ended
/// execution while another of its pipeline runs queues the restart in the pipeline's FIFO beside queued starts; the
/// execution shows NOT_STARTED, its stages reset, until its turn; <c>keepWaitingPipelines: false</c> lets the newest
/// waiting one, start or restart, replace the others.
/// </summary>
[Collection(nameof(EngineCollection))]
public sealed class QueuedRestartTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private async Task SaveAsync(string name, bool keepWaiting) => await _client.SavePipelineAsync(new JsonObject
    {
        ["application"] = "test",
        ["name"] = name,
        ["limitConcurrent"] = true,
        ["keepWaitingPipelines"] = keepWaiting,
        ["stages"] = new JsonArray(new JsonObject
        {
            ["refId"] = "1",
            ["type"] = "manualJudgment",
            ["name"] = "gate",
            ["judgmentInputs"] = new JsonArray(new JsonObject { ["value"] = "first" }, new JsonObject { ["value"] = "second" }),
        }, Wait("2", 0, "1")),
    });

    /// <summary>Judges the running gate with <paramref name="input"/> and waits for the execution to succeed.</summary>
    private async Task<JsonObject> JudgeAsync(string id, string input = "first")
    {
        var running = await _client.WaitForAsync(id, e => Status(e) == "RUNNING" && Status(Stage(e, "1")) == "RUNNING");
        var response = await _client.PatchAsync($"/pipelines/{id}/stages/{Stage(running, "1")["id"]}",
            new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = input });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await _client.WaitForStatusAsync(id, "SUCCEEDED");
    }

    private async Task<(string Id, JsonObject Done)> RunOnceAsync(string name)
    {
        var id = await _client.TriggerAsync("test", name);
        return (id, await JudgeAsync(id));
    }

    private Task<HttpResponseMessage> RestartGateAsync(string id, JsonObject execution) =>
        _client.PutAsync($"/pipelines/{id}/stages/{Stage(execution, "1")["id"]}/restart");

    /// <summary>The pipeline's queue once it holds exactly <paramref name="count"/> executions (their starts were handled).</summary>
    private async Task<IReadOnlyList<string>> QueuedAsync(string anyId, int count)
    {
        var configId = (await _client.GetExecutionAsync(anyId))["pipelineConfigId"]!.GetValue<string>();
        var pending = fixture.Factory.Services.GetRequiredService<IPendingExecutionStore>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        IReadOnlyList<string> queued;
        while ((queued = await pending.ListAsync(configId)).Count != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the queue never held {count}: [{string.Join(", ", queued)}]");
            await Task.Delay(10);
        }
        return queued;
    }

    [Fact]
    public async Task RestartWhileAnotherRuns_IsQueuedShowingNotStartedAndRunsWhenItEnds()
    {
        const string name = "queued-restart";
        await SaveAsync(name, keepWaiting: false);
        var (first, done) = await RunOnceAsync(name);
        var second = await _client.TriggerAsync("test", name);
        await _client.WaitForStageStatusAsync(second, "1", "RUNNING");

        var restart = await RestartGateAsync(first, done);

        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        var queued = JsonNode.Parse(await restart.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("NOT_STARTED", Status(queued));
        Assert.Null(queued["endTime"]);
        Assert.Equal("NOT_STARTED", Status(Stage(queued, "1")));
        Assert.Equal("NOT_STARTED", Status(Stage(queued, "2")));
        Assert.NotNull(Stage(queued, "1")["context"]!["restartDetails"]);
        Assert.Equal([first], await QueuedAsync(first, 1));
        // Already queued: a second restart is refused, as Orca skips it, and nothing changes.
        var twice = await RestartGateAsync(first, done);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        await Task.Delay(200);
        Assert.Equal("NOT_STARTED", Status(await _client.GetExecutionAsync(first)));

        await JudgeAsync(second, "second");

        var again = await JudgeAsync(first, "second");
        Assert.Equal("second", Stage(again, "1")["context"]!["judgmentInput"]!.GetValue<string>());
        Assert.Equal(Time(done, "startTime"), Time(again, "startTime"));
        Assert.True(Time(Stage(again, "1"), "startTime") >= Time(await _client.GetExecutionAsync(second), "endTime"));
        Assert.True(Time(Stage(again, "2"), "startTime") > Time(Stage(done, "2"), "endTime"));
    }

    [Fact]
    public async Task WithKeepWaiting_AQueuedRestartTakesItsTurnAmongQueuedStarts()
    {
        const string name = "queued-restart-fifo";
        await SaveAsync(name, keepWaiting: true);
        var (restarted, done) = await RunOnceAsync(name);
        var running = await _client.TriggerAsync("test", name);
        await _client.WaitForStageStatusAsync(running, "1", "RUNNING");
        var before = await _client.TriggerAsync("test", name);
        await QueuedAsync(running, 1);
        // The queue orders by the millisecond: a start's build time, a restart's request time.
        await Task.Delay(5);
        Assert.Equal(HttpStatusCode.OK, (await RestartGateAsync(restarted, done)).StatusCode);
        await Task.Delay(5);
        var after = await _client.TriggerAsync("test", name);

        Assert.Equal([before, restarted, after], await QueuedAsync(running, 3));

        await JudgeAsync(running);
        await _client.WaitForStageStatusAsync(before, "1", "RUNNING");
        Assert.Equal("NOT_STARTED", Status(await _client.GetExecutionAsync(restarted)));
        await JudgeAsync(before);
        await _client.WaitForStageStatusAsync(restarted, "1", "RUNNING");
        Assert.Equal("NOT_STARTED", Status(await _client.GetExecutionAsync(after)));
        await JudgeAsync(restarted);
        await JudgeAsync(after);
    }

    [Fact]
    public async Task WithoutKeepWaiting_TheNewestWaitingOneRunsWhetherStartOrRestart()
    {
        const string name = "queued-restart-newest";
        await SaveAsync(name, keepWaiting: false);
        var (restarted, done) = await RunOnceAsync(name);
        var running = await _client.TriggerAsync("test", name);
        await _client.WaitForStageStatusAsync(running, "1", "RUNNING");

        // A start queued after the restart replaces it: the execution whose restart waited ends CANCELED, with the reason.
        Assert.Equal(HttpStatusCode.OK, (await RestartGateAsync(restarted, done)).StatusCode);
        var newer = await _client.TriggerAsync("test", name);
        await QueuedAsync(running, 2);
        await JudgeAsync(running);
        var canceled = await _client.WaitForStatusAsync(restarted, "CANCELED");
        Assert.NotNull(canceled["cancellationReason"]);
        await _client.WaitForStageStatusAsync(newer, "1", "RUNNING");

        // A restart queued after a start replaces that start; the stage reset by the canceled restart can be restarted.
        var older = await _client.TriggerAsync("test", name);
        await QueuedAsync(running, 1);
        Assert.Equal(HttpStatusCode.OK, (await RestartGateAsync(restarted, canceled)).StatusCode);
        await QueuedAsync(running, 2);
        await JudgeAsync(newer);
        await _client.WaitForStatusAsync(older, "CANCELED");
        await JudgeAsync(restarted);
    }

    [Fact]
    public async Task QueuedRestartRedelivered_IsQueuedOnceAndRunsOnce()
    {
        const string name = "queued-restart-redelivered";
        await SaveAsync(name, keepWaiting: true);
        var (restarted, done) = await RunOnceAsync(name);
        var running = await _client.TriggerAsync("test", name);
        await _client.WaitForStageStatusAsync(running, "1", "RUNNING");
        var engine = fixture.Factory.Services.GetRequiredService<ExecutionEngine>();
        var restart = new RestartStage(restarted, Stage(done, "1")["id"]!.GetValue<string>(), "ann");

        await engine.ProcessAsync(restarted, "restart-queued-1", restart, CancellationToken.None);
        var queued = await _client.GetExecutionAsync(restarted);
        await engine.ProcessAsync(restarted, "restart-queued-1", restart, CancellationToken.None);

        Assert.Equal([restarted], await QueuedAsync(running, 1));
        Assert.Equal(queued.ToJsonString(), (await _client.GetExecutionAsync(restarted)).ToJsonString());
        await JudgeAsync(running);
        var again = await JudgeAsync(restarted);
        var restartTime = Time(Stage(again, "1")["context"]!["restartDetails"]!.AsObject(), "restartTime");
        // Once it ran, the same request again neither queues nor restarts it.
        await engine.ProcessAsync(restarted, "restart-queued-1", restart, CancellationToken.None);
        var after = await _client.GetExecutionAsync(restarted);
        Assert.Equal("SUCCEEDED", Status(after));
        Assert.Equal(restartTime, Time(Stage(after, "1")["context"]!["restartDetails"]!.AsObject(), "restartTime"));
        Assert.Empty(await QueuedAsync(running, 0));
    }
}
