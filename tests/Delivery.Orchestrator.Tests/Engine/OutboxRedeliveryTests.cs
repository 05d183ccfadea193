using Delivery.Contracts.Api;
using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;
using Delivery.Orchestrator.Messages;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>
/// A worker that saved a change but died before sending what followed from it: the redelivered
/// message must send the stored outbox and not apply itself a second time.
/// </summary>
[Collection(nameof(EngineCollection))]
public sealed class OutboxRedeliveryTests(EngineFixture fixture)
{
    [Fact]
    public async Task RedeliveredMessage_SendsItsStoredOutboxInsteadOfApplyingAgain()
    {
        var client = fixture.Client;
        var name = await client.SaveStagesAsync("outbox", Wait("1", 30), Wait("2", 0, "1"));
        var id = await client.TriggerAsync("test", name);
        var running = await client.WaitForStageStatusAsync(id, "1", "RUNNING");
        var stageId = Stage(running, "1")["id"]!.GetValue<string>();
        var store = fixture.Factory.Services.GetRequiredService<IExecutionStore>();
        var engine = fixture.Factory.Services.GetRequiredService<ExecutionEngine>();

        // Simulate the crash window: the skip of stage 1 is saved with its outbox (StartStage of 2), nothing is sent.
        var execution = (await store.GetAsync(id))!;
        var stage = execution.Stage(stageId);
        stage.Status = Contracts.ExecutionStatus.Skipped;
        stage.EndTime = stage.StartTime;
        var stage2 = execution.Stages.Single(s => s.RefId == "2");
        var outbox = $"[{MessageCodec.Encode(new StartStage(id, stage2.Id)).ToJsonString()}]";
        Assert.True(await store.TrySaveAsync(execution, "crashed-message", outbox));
        await Task.Delay(100);
        Assert.Equal("NOT_STARTED", Status(Stage(await client.GetExecutionAsync(id), "2")));

        // Redelivery of the same message id: the skip must not be applied again (it would answer 409), the outbox is sent.
        var response = await engine.ProcessAsync(id, "crashed-message", new SkipStage(id, stageId, "tester"), CancellationToken.None);

        Assert.Equal(ApiOutcome.Ok, response!.Outcome);
        var done = await client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("SUCCEEDED", Status(Stage(done, "2")));
        Assert.Null(Stage(done, "1")["context"]!["skippedBy"]);
        Assert.Null((await store.LoadForUpdateAsync(id, "crashed-message")).PendingOutbox);
    }

    [Fact]
    public async Task RedeliveredMessage_AfterItsChangeWasSavedAndSent_IsNotAppliedAgain()
    {
        var client = fixture.Client;
        var name = await client.SaveStagesAsync("redelivered-restart", Wait("1", 0), Wait("2", 0, "1"));
        var id = await client.TriggerAsync("test", name);
        var first = await client.WaitForStatusAsync(id, "SUCCEEDED");
        var stageId = Stage(first, "2")["id"]!.GetValue<string>();
        var engine = fixture.Factory.Services.GetRequiredService<ExecutionEngine>();

        await engine.ProcessAsync(id, "restart-once", new RestartStage(id, stageId, "tester"), CancellationToken.None);
        var restarted = await client.WaitForAsync(id, e => Status(e) == "SUCCEEDED" && Time(Stage(e, "2"), "startTime") >= Time(Stage(first, "2"), "endTime") && Stage(e, "2")["context"]!["restartDetails"] is not null);
        var again = await engine.ProcessAsync(id, "restart-once", new RestartStage(id, stageId, "tester"), CancellationToken.None);

        Assert.Equal(ApiOutcome.Ok, again!.Outcome);
        await Task.Delay(200);
        var after = await client.GetExecutionAsync(id);
        Assert.Equal("SUCCEEDED", Status(after));
        Assert.Equal(Time(Stage(restarted, "2"), "endTime"), Time(Stage(after, "2"), "endTime"));
    }
}
