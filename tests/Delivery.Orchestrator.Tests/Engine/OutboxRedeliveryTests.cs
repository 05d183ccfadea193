using Delivery.Contracts.Orchestration;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

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

        Assert.Equal(200, response!.Status);
        var done = await client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Equal("SUCCEEDED", Status(Stage(done, "2")));
        Assert.Null(Stage(done, "1")["context"]!["skippedBy"]);
        Assert.Null((await store.LoadForUpdateAsync(id, "crashed-message")).PendingOutbox);
    }
}
