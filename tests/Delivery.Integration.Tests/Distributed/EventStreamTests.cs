using Delivery.Gate.Tests.TestHost;
using Delivery.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Integration.Tests.Distributed;

/// <summary>
/// Two gates (in two standalone processes) on one RabbitMQ: each has its own event queue, so a
/// client of either sees every change of an execution, whichever process made it, in order.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class EventStreamTests(RedisServerFixture redis, RabbitMqServerFixture rabbit, ITestOutputHelper output)
{
    [Fact]
    public async Task A_client_of_either_gate_sees_every_change_of_an_execution()
    {
        await using var cluster = await DeliveryCluster.StartAsync(redis, rabbit, output);
        await using var first = await SseClient.ConnectAsync(cluster.Client(0).Http, "?application=it-events");
        await using var second = await SseClient.ConnectAsync(cluster.Client(1).Http, "?application=it-events");
        await cluster.Client(0).SaveStagesAsync("it-events", "fork-join",
            Pipelines.Variables("1"), Pipelines.Wait("2", 0.2, "1"), Pipelines.Variables("3", "1"), Pipelines.Variables("4", "2", "3"));

        var id = await cluster.Client(1).TriggerAsync("it-events", "fork-join");
        await first.ReadUntilAsync(m => m.Event == "ExecutionCompleted", TimeSpan.FromSeconds(30));
        await second.ReadUntilAsync(m => m.Event == "ExecutionCompleted", TimeSpan.FromSeconds(30));

        foreach (var client in new[] { first, second })
        {
            var events = client.Received;
            Assert.All(events, m => Assert.Equal(id, m.Json["executionId"]!.GetValue<string>()));
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(m => m.Sequence));
            Assert.Equal("SUCCEEDED", events[^1].Status);
            foreach (var refId in new[] { "1", "2", "3", "4" })
            {
                Assert.Equal(["RUNNING", "SUCCEEDED"],
                    events.Where(m => m.RefId == refId && m.Event is "StageStarted" or "StageCompleted").Select(m => m.Status));
            }
        }
        Assert.Equal(first.Received.Select(m => m.Id), second.Received.Select(m => m.Id));
    }
}
