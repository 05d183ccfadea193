using System.Text.Json.Nodes;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Model;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Tests.Stages.Support;
using Delivery.Orchestrator.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Stages;

/// <summary>
/// A webhook's call is claimed in the execution document before it is made (issue 7, section 5): a second delivery of its
/// task while the call is at work does not call again, and a claim left by a worker that died during the call fails the
/// stage instead of calling a second time.
/// </summary>
[Collection(nameof(GenericStagesCollection))]
public sealed class ExternalEffectClaimTests(GenericStagesFixture fixture)
{
    private readonly DeliveryClient _client = fixture.Client;

    private IServiceProvider Services => fixture.Factory.Services;

    private async Task<(string Id, string StageId)> StartHeldWebhookAsync(string name, FakeHttpServer server)
    {
        await _client.SaveStagesAsync(name, new JsonObject
        {
            ["refId"] = "1",
            ["type"] = "webhook",
            ["name"] = "hook",
            ["method"] = "POST",
            ["url"] = server.Url("hook").ToString(),
        });
        var id = await _client.TriggerAsync("test", name);
        // The call is under way once the server has it; the claim was saved before.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.Requests.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        Assert.Single(server.Requests);
        var execution = await _client.GetExecutionAsync(id);
        var stage = Stage(execution, "1");
        Assert.NotNull(stage["tasks"]![0]!["effectClaim"]);
        return (id, stage["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task TaskDeliveredAgainWhileItsCallIsAtWork_DoesNotCallAgain()
    {
        using var release = new ManualResetEventSlim();
        using var server = new FakeHttpServer(_ =>
        {
            release.Wait(TimeSpan.FromSeconds(10));
            return FakeResponse.Json(200, new JsonObject { ["ok"] = true });
        });
        var (id, stageId) = await StartHeldWebhookAsync("claimed-webhook-duplicate", server);

        // Two more deliveries of the same task at once (a timer fired twice, an outbox sent twice).
        var engine = Services.GetRequiredService<ExecutionEngine>();
        await Task.WhenAll(
            engine.ProcessAsync(id, Guid.NewGuid().ToString("N"), new RunTask(id, stageId, "1"), CancellationToken.None),
            engine.ProcessAsync(id, Guid.NewGuid().ToString("N"), new RunTask(id, stageId, "1"), CancellationToken.None));
        release.Set();

        var done = await _client.WaitForStatusAsync(id, "SUCCEEDED");
        Assert.Single(server.Requests);
        Assert.Null(Stage(done, "1")["tasks"]![0]!["effectClaim"]);
    }

    [Fact]
    public async Task ClaimLeftByAWorkerThatDied_FailsTheStageWithoutCallingAgain()
    {
        using var release = new ManualResetEventSlim();
        using var server = new FakeHttpServer(_ =>
        {
            release.Wait(TimeSpan.FromSeconds(10));
            return FakeResponse.Json(200, new JsonObject { ["ok"] = true });
        });
        var (id, stageId) = await StartHeldWebhookAsync("claimed-webhook-dead-worker", server);

        // As a worker that died during the call leaves it: a claim no delivery alive holds, older than any run may last.
        var store = Services.GetRequiredService<IExecutionStore>();
        var execution = (await store.GetAsync(id))!;
        execution.Stage(stageId).Tasks[0].EffectClaim = new EffectClaim("dead-worker", DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        Assert.True(await store.TrySaveAsync(execution, "dead-worker-claim", outbox: null));
        await Services.GetRequiredService<ExecutionEngine>().ProcessAsync(id, Guid.NewGuid().ToString("N"), new RunTask(id, stageId, "1"), CancellationToken.None);
        release.Set();

        var done = await _client.WaitForStatusAsync(id, "TERMINAL");
        Assert.Contains("may have been made", Stage(done, "1")["context"]!["exception"]!["details"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        await Task.Delay(200);
        Assert.Single(server.Requests);
    }
}
