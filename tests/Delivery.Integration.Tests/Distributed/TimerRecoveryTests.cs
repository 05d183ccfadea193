using System.Diagnostics;
using System.Text.Json.Nodes;
using Delivery.Integration.Tests.Infrastructure;
using Delivery.Integration.Tests.Stores;
using Delivery.Orchestrator.Engine;
using Delivery.Orchestrator.Timers;
using Xunit.Abstractions;
using static Delivery.Integration.Tests.Infrastructure.DeliveryClient;

namespace Delivery.Integration.Tests.Distributed;

/// <summary>
/// The two crash windows of a timer dispatcher, too short to hit by killing a process at random:
/// the test process plays a replica that claims a wait stage's timer and then dies, before
/// publishing it or after publishing it but before acknowledging it.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class TimerRecoveryTests(RedisServerFixture redis, RabbitMqServerFixture rabbit, ITestOutputHelper output)
{

    [Fact]
    public async Task A_timer_claimed_by_a_dispatcher_that_died_before_publishing_fires_after_the_lease()
    {
        await using var cluster = await DeliveryCluster.StartAsync(redis, rabbit, output);
        var (id, timer) = await StartWaitAndStealItsTimerAsync(cluster, leaseMs: 3_000);

        // The dead replica neither publishes nor acknowledges: a live one takes the timer when the lease ends.
        var execution = await cluster.Client(0).WaitForStatusAsync(id, "SUCCEEDED", TimeSpan.FromSeconds(30));
        await ExecutionChecks.AssertSucceededOnceAsync(execution, cluster.Events, "claimed and abandoned");
        var waitEnd = Time(Stage(execution, "2"), "endTime");
        Assert.True(waitEnd >= timer.ClaimedUntil, $"the wait ended at {waitEnd}, before the dead replica's lease ran out at {timer.ClaimedUntil}");
        output.WriteLine($"the wait ended {waitEnd - timer.ClaimedUntil} ms after the lease ran out");
    }

    [Fact]
    public async Task A_timer_published_by_a_dispatcher_that_died_before_acknowledging_does_not_complete_its_stage_twice()
    {
        await using var cluster = await DeliveryCluster.StartAsync(redis, rabbit, output);
        // A long lease, so that the copy the dying replica published surely arrives first.
        var (id, timer) = await StartWaitAndStealItsTimerAsync(cluster, leaseMs: 6_000);

        // Published once by the replica that then died; the lease ends and a live replica publishes it again.
        var due = Time(Stage(await cluster.Client(0).GetExecutionAsync(id), "2"), "startTime")!.Value + 1_000;
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, due - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 50)));
        var published = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await cluster.Events.PublishAsync(MessageCodec.Decode(JsonNode.Parse(timer.Payload)!));

        var execution = await cluster.Client(1).WaitForStatusAsync(id, "SUCCEEDED", TimeSpan.FromSeconds(30));
        var end = Time(Stage(execution, "2"), "endTime");
        output.WriteLine($"published {published - due} ms after the wait was due; the wait ended {end - published} ms later; the lease ran until {timer.ClaimedUntil - due} ms after due");
        Assert.True(end < timer.ClaimedUntil, $"the published timer did not end the wait (published {published - due} ms after due, lease until {timer.ClaimedUntil - due} ms after due)");
        // Let the lease run out so the second copy arrives, then check nothing happened twice.
        var watch = Stopwatch.StartNew();
        var timers = StoreSet.ForRedis(redis.Connection, StoreSet.Keys(cluster.KeyPrefix)).Timers;
        while (await timers.NextDueAsync() is not null && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }
        Assert.Null(await timers.NextDueAsync());
        await Task.Delay(500);
        await ExecutionChecks.AssertSucceededOnceAsync(await cluster.Client(1).GetExecutionAsync(id), cluster.Events, "published, not acknowledged");
    }

    /// <summary>Starts 1 -> wait 1 s -> 3 and claims the wait's timer before any replica can, as a replica about to die would.</summary>
    private async Task<(string Id, ClaimedTimer Timer)> StartWaitAndStealItsTimerAsync(DeliveryCluster cluster, int leaseMs)
    {
        await cluster.Client(0).SaveStagesAsync("it", "stolen", Pipelines.Variables("1"), Pipelines.Wait("2", 1, "1"), Pipelines.Variables("3", "2"));
        var id = await cluster.Client(0).TriggerAsync("it", "stolen");
        await cluster.Client(0).WaitForStageStatusAsync(id, "2", "RUNNING", TimeSpan.FromSeconds(20));
        var timers = StoreSet.ForRedis(redis.Connection, StoreSet.Keys(cluster.KeyPrefix)).Timers;

        // Claim as if the clock were 1.5 s ahead, so the 1 s timer is taken before it falls due for the live replicas.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            var claimed = await timers.ClaimDueAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1_500, 10, leaseMs);
            if (claimed.FirstOrDefault(t => t.Key.StartsWith(id, StringComparison.Ordinal)) is { } timer)
            {
                return (id, timer);
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"the wait timer of {id} never showed up in Redis");
    }
}
