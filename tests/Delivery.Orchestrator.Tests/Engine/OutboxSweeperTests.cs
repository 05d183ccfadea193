using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Messages;
using Delivery.Orchestrator.Persistence;
using Delivery.Orchestrator.Pipelines;
using Delivery.Orchestrator.Tests.TestHost;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static Delivery.Orchestrator.Tests.TestHost.DeliveryClient;

namespace Delivery.Orchestrator.Tests.Engine;

/// <summary>
/// Liveness (issue 7, section 4): a saved change whose outgoing messages were never sent, because its sender died and
/// the message that caused it never comes again, is sent by the sweeper; so is the start of a triggered execution.
/// </summary>
public sealed class OutboxSweeperTests(OutboxSweeperTests.SweepingHost host) : IClassFixture<OutboxSweeperTests.SweepingHost>
{
    private readonly StandaloneFactory _factory = host.Factory;

    private IExecutionStore Store => _factory.Services.GetRequiredService<IExecutionStore>();

    [Fact]
    public async Task ChangeSavedBySenderThatDied_IsSentBySweeper()
    {
        var client = _factory.CreateDeliveryClient();
        var name = await client.SaveStagesAsync("swept", Wait("1", 30), Wait("2", 0, "1"));
        var id = await client.TriggerAsync("test", name);
        await client.WaitForStageStatusAsync(id, "1", "RUNNING");

        // An in-process request (a skip) saved with its outbox, then its replica died: nothing redelivers it.
        var execution = (await Store.GetAsync(id))!;
        var stage = execution.Stages.Single(s => s.RefId == "1");
        stage.Status = Contracts.ExecutionStatus.Skipped;
        stage.EndTime = stage.StartTime;
        var next = execution.Stages.Single(s => s.RefId == "2");
        var outbox = OutboxSender.Encode([new OutgoingMessage(new StartStage(id, next.Id), null, null)]);
        Assert.True(await Store.TrySaveAsync(execution, "lost-request", outbox));
        var done = await client.WaitForStatusAsync(id, "SUCCEEDED", TimeSpan.FromSeconds(10));
        Assert.Equal("SUCCEEDED", Status(Stage(done, "2")));
        Assert.Null(await Store.GetOutboxAsync(id, "lost-request"));
    }

    [Fact]
    public async Task TriggerThatDiedAfterCreatingItsExecution_IsStartedBySweeper()
    {
        var client = _factory.CreateDeliveryClient();
        var name = await client.SaveStagesAsync("created-not-started", Wait("1", 0));
        var config = await _factory.Services.GetRequiredService<IPipelineConfigStore>().GetAsync("test", name);
        var (execution, problem) = _factory.Services.GetRequiredService<ExecutionFactory>().Create(config!, new JsonObject { ["type"] = "manual" }, Orchestrator.Model.Ids.NewUlid());
        Assert.Null(problem);

        // What the trigger stores before it sends anything: the execution and its start, in one write.
        Assert.True(await Store.CreateAsync(execution!, OutboxSender.Encode([new OutgoingMessage(new StartExecution(execution!.Id), null, null)])));

        var done = await client.WaitForStatusAsync(execution.Id, "SUCCEEDED", TimeSpan.FromSeconds(10));
        Assert.Equal("SUCCEEDED", Status(Stage(done, "1")));
        Assert.Null(await Store.GetOutboxAsync(execution.Id, PendingOutbox.Creation));
    }

    [Fact]
    public async Task TriggeredExecution_LeavesNoOutboxBehind()
    {
        var client = _factory.CreateDeliveryClient();
        var id = await client.TriggerAsync("test", await client.SaveStagesAsync("trigger-clears", Wait("1", 0)));
        await client.WaitForStatusAsync(id, "SUCCEEDED");

        Assert.Null(await Store.GetOutboxAsync(id, PendingOutbox.Creation));
        // The last change's outbox may still be on its way out when the execution reads SUCCEEDED.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        IReadOnlyList<PendingOutbox> left;
        while ((left = await Pending(id)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Empty(left);
    }

    private async Task<IReadOnlyList<PendingOutbox>> Pending(string executionId)
    {
        var taken = await Store.TakeStaleOutboxesAsync(long.MaxValue, 1_000);
        var left = new List<PendingOutbox>();
        foreach (var o in taken.Where(o => o.ExecutionId == executionId))
        {
            if (await Store.GetOutboxAsync(o.ExecutionId, o.MessageId) is not null)
            {
                left.Add(o);
            }
        }
        return left;
    }

    [Fact]
    public async Task OutboxSentTwice_PublishesTheSameMessageIds()
    {
        var received = new ConcurrentQueue<Guid?>();
        var bus = _factory.Services.GetRequiredService<IBus>();
        var handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), DefaultEndpointNameFormatter.Instance, e =>
            e.Handler<StartWaitingExecutions>(c =>
            {
                if (c.Message.PipelineConfigId == "outbox-twice")
                {
                    received.Enqueue(c.MessageId);
                }
                return Task.CompletedTask;
            }));
        await handle.Ready;
        var sender = _factory.Services.GetRequiredService<OutboxSender>();
        var outbox = OutboxSender.Encode([new OutgoingMessage(new StartWaitingExecutions("outbox-twice", false), null, null)]);

        // The original sender and a sweeper, both at once.
        await Task.WhenAll(
            sender.SendStoredAsync("none", "m", outbox, CancellationToken.None),
            sender.SendStoredAsync("none", "m", outbox, CancellationToken.None));

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (received.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        await handle.StopAsync();
        Assert.Equal(2, received.Count);
        Assert.Single(received.Distinct());
        Assert.NotNull(received.First());
    }

    /// <summary>One host for the class, sweeping every 100 ms for outboxes older than 500 ms.</summary>
    public sealed class SweepingHost : IDisposable
    {
        public StandaloneFactory Factory { get; } = new(settings: new Dictionary<string, string?>
        {
            ["Delivery:Orchestrator:OutboxAgeMs"] = "500",
            ["Delivery:Orchestrator:OutboxSweepMs"] = "100",
        });

        public void Dispose() => Factory.Dispose();
    }
}
