using System.Text.Json.Nodes;
using Delivery.Orchestrator.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Delivery.Orchestrator.Tests.TestHost;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary><c>limitConcurrent</c> queues executions; <c>keepWaitingPipelines</c> decides whether the queue is kept or only the newest survives.</summary>
[Collection(nameof(EngineCollection))]
public sealed class ConcurrencyLimitTests(EngineFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private async Task<string> SaveAsync(string name, bool keepWaiting)
    {
        await _client.SavePipelineAsync(new JsonObject
        {
            ["application"] = "test",
            ["name"] = name,
            ["limitConcurrent"] = true,
            ["keepWaitingPipelines"] = keepWaiting,
            ["stages"] = new JsonArray(new JsonObject { ["refId"] = "1", ["type"] = "manualJudgment", ["name"] = "gate" }),
        });
        return name;
    }

    private async Task ApproveAsync(string id)
    {
        var running = await _client.WaitForStageStatusAsync(id, "1", "RUNNING");
        await _client.PatchAsync($"/pipelines/{id}/stages/{Stage(running, "1")["id"]}", new JsonObject { ["judgmentStatus"] = "continue" });
        await _client.WaitForStatusAsync(id, "SUCCEEDED");
    }

    [Fact]
    public async Task WithoutKeepWaiting_NewestQueuedRunsAndOlderQueuedAreCanceled()
    {
        var name = await SaveAsync("limit-newest", keepWaiting: false);
        var a = await _client.TriggerAsync("test", name);
        await _client.WaitForStatusAsync(a, "RUNNING");
        var b = await _client.TriggerAsync("test", name);
        var c = await _client.TriggerAsync("test", name);
        await WaitQueuedAsync(a, b, c);
        Assert.Equal("NOT_STARTED", Status(await _client.GetExecutionAsync(b)));
        Assert.Equal("NOT_STARTED", Status(await _client.GetExecutionAsync(c)));

        await ApproveAsync(a);

        await _client.WaitForStatusAsync(b, "CANCELED");
        await ApproveAsync(c);
    }

    [Fact]
    public async Task WithoutKeepWaiting_ANewestCanceledWhileItWaited_LeavesTheSlotToTheNewestLiveOne()
    {
        var name = await SaveAsync("limit-newest-canceled", keepWaiting: false);
        var a = await _client.TriggerAsync("test", name);
        await _client.WaitForStatusAsync(a, "RUNNING");
        var b = await _client.TriggerAsync("test", name);
        var c = await _client.TriggerAsync("test", name);
        await WaitQueuedAsync(a, b, c);
        await _client.PutAsync($"/pipelines/{c}/cancel");
        await _client.WaitForStatusAsync(c, "CANCELED");

        await ApproveAsync(a);

        // The newest one still waiting runs; purging the queue for a canceled one would leave the pipeline with none.
        await ApproveAsync(b);
    }

    /// <summary>Waits until the executions are queued (their starts were handled), so that what follows does not race them.</summary>
    private async Task WaitQueuedAsync(string running, params string[] queued)
    {
        var configId = (await _client.GetExecutionAsync(running))["pipelineConfigId"]!.GetValue<string>();
        var pending = fixture.Factory.Services.GetRequiredService<IPendingExecutionStore>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await pending.ListAsync(configId)).ToHashSet().IsSupersetOf(queued))
        {
            Assert.True(DateTime.UtcNow < deadline, "the executions were never queued");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task WithKeepWaiting_QueuedRunInOrder()
    {
        var name = await SaveAsync("limit-keep", keepWaiting: true);
        var a = await _client.TriggerAsync("test", name);
        await _client.WaitForStatusAsync(a, "RUNNING");
        var b = await _client.TriggerAsync("test", name);
        var c = await _client.TriggerAsync("test", name);
        await WaitQueuedAsync(a, b, c);

        await ApproveAsync(a);
        await _client.WaitForStatusAsync(b, "RUNNING");
        Assert.Equal("NOT_STARTED", Status(await _client.GetExecutionAsync(c)));
        await ApproveAsync(b);
        await ApproveAsync(c);
    }

    [Fact]
    public async Task ANewcomer_FindingTheSlotFreeWhileOthersWait_QueuesBehindThem()
    {
        var name = await SaveAsync("limit-no-jumping", keepWaiting: true);
        var ended = await _client.TriggerAsync("test", name);
        await ApproveAsync(ended);
        var a = await _client.TriggerAsync("test", name);
        await _client.WaitForStatusAsync(a, "RUNNING");
        var b = await _client.TriggerAsync("test", name);
        await WaitQueuedAsync(a, b);
        // The moment between a holder's end and its hand-on: the slot names an ended execution while b waits.
        var configId = (await _client.GetExecutionAsync(a))["pipelineConfigId"]!.GetValue<string>();
        await fixture.Factory.Services.GetRequiredService<IPendingExecutionStore>().SetHolderAsync(configId, ended);

        var c = await _client.TriggerAsync("test", name);

        // c does not take the free slot ahead of b: it queues, and the hand-on it sends starts b, the oldest.
        await _client.WaitForStatusAsync(b, "RUNNING");
        Assert.Equal("NOT_STARTED", Status(await _client.GetExecutionAsync(c)));
        await ApproveAsync(a);
        await ApproveAsync(b);
        await ApproveAsync(c);
    }

    [Fact]
    public async Task WithKeepWaiting_MoreThanAHundredQueued_RunOneAtATimeInOrder()
    {
        const string name = "limit-many";
        await _client.SavePipelineAsync(new JsonObject
        {
            ["application"] = "test",
            ["name"] = name,
            ["limitConcurrent"] = true,
            ["keepWaitingPipelines"] = true,
            ["stages"] = new JsonArray(Wait("1", 0)),
        });
        // More than the newest 100 the engine once looked at: the running one drops out of that window.
        var ids = new List<string>();
        for (var i = 0; i < 120; i++)
        {
            ids.Add(await _client.TriggerAsync("test", name));
        }

        var executions = new List<JsonObject>();
        foreach (var id in ids)
        {
            executions.Add(await _client.WaitForStatusAsync(id, "SUCCEEDED", TimeSpan.FromSeconds(60)));
        }
        for (var i = 1; i < executions.Count; i++)
        {
            // Never two at once, and in the order they were triggered.
            Assert.True(Time(executions[i], "startTime") >= Time(executions[i - 1], "endTime"), $"execution {i} started before execution {i - 1} ended");
        }
    }
}
