using Delivery.Integration.Tests.Infrastructure;
using Xunit.Abstractions;
using static Delivery.Integration.Tests.Infrastructure.DeliveryClient;

namespace Delivery.Integration.Tests.Distributed;

/// <summary>Two standalone processes over RabbitMQ and Redis run pipelines together.</summary>
[Collection(DistributedCollection.Name)]
public sealed class DistributedPipelineTests(RedisServerFixture redis, RabbitMqServerFixture rabbit, ITestOutputHelper output)
{
    [Fact]
    public async Task A_fork_and_join_pipeline_runs_to_success_across_two_processes()
    {
        await using var cluster = await DeliveryCluster.StartAsync(redis, rabbit, output);

        // Both processes consume the one orchestrator queue of this virtual host.
        var consumers = await rabbit.CtlAsync("list_consumers", "-p", cluster.VirtualHost, "queue_name");
        Assert.Equal(2, consumers.Split('\n').Count(l => l.Trim() == "delivery-orchestrator"));

        await cluster.Client(0).SaveStagesAsync("it", "fork-join",
            Pipelines.Variables("1"),
            Pipelines.Wait("2", 1, "1"),
            Pipelines.Variables("3", "1"),
            Pipelines.Variables("4", "2", "3"));

        // Triggered through one process, read through the other; several at once so both do work.
        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => cluster.Client(i % 2).TriggerAsync("it", "fork-join")));
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var execution = await cluster.Client((i + 1) % 2).WaitForStatusAsync(id, "SUCCEEDED", TimeSpan.FromSeconds(30));
            await ExecutionChecks.AssertSucceededOnceAsync(execution, cluster.Events, $"execution {i}");
            var (one, two, three, four) = (Stage(execution, "1"), Stage(execution, "2"), Stage(execution, "3"), Stage(execution, "4"));
            Assert.True(Time(two, "startTime") >= Time(one, "endTime") && Time(three, "startTime") >= Time(one, "endTime"));
            // 2 and 3 ran in parallel: 3 (quick) started and ended while 2 was still waiting.
            Assert.True(Time(three, "endTime") < Time(two, "endTime"), "stage 3 did not run beside the wait of stage 2");
            Assert.True(Time(four, "startTime") >= Math.Max(Time(two, "endTime")!.Value, Time(three, "endTime")!.Value));
            Assert.Equal("1", one["outputs"]?["v1"]?.GetValue<string>());
            Assert.Equal("4", four["outputs"]?["v4"]?.GetValue<string>());
        }
    }
}
