using System.Text.Json.Nodes;
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
        await Task.Delay(200);
        Assert.Equal("NOT_STARTED", Status(await _client.GetExecutionAsync(b)));
        Assert.Equal("NOT_STARTED", Status(await _client.GetExecutionAsync(c)));

        await ApproveAsync(a);

        await _client.WaitForStatusAsync(b, "CANCELED");
        await ApproveAsync(c);
    }

    [Fact]
    public async Task WithKeepWaiting_QueuedRunInOrder()
    {
        var name = await SaveAsync("limit-keep", keepWaiting: true);
        var a = await _client.TriggerAsync("test", name);
        await _client.WaitForStatusAsync(a, "RUNNING");
        var b = await _client.TriggerAsync("test", name);
        var c = await _client.TriggerAsync("test", name);

        await ApproveAsync(a);
        await _client.WaitForStatusAsync(b, "RUNNING");
        Assert.Equal("NOT_STARTED", Status(await _client.GetExecutionAsync(c)));
        await ApproveAsync(b);
        await ApproveAsync(c);
    }
}
