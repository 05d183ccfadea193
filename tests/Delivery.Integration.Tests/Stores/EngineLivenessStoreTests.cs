using Delivery.Contracts;
using Delivery.Integration.Tests.Infrastructure;
using Delivery.Orchestrator.Persistence;

namespace Delivery.Integration.Tests.Stores;

/// <summary>
/// What the zombie sweep, the effect-once rules and limitConcurrent need from the stores, the same in memory and in Redis:
/// the index of RUNNING executions, timers that can be looked up and removed, and the FIFO queue of pending executions.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class EngineLivenessStoreTests(RedisServerFixture redis)
{
    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Running_executions_are_taken_once_idle_and_forgotten_once_they_end(string kind)
    {
        var executions = StoreSet.Create(kind, redis).Executions;
        var running = StoreSet.NewExecution("app", "config", 1);
        Assert.True(await executions.CreateAsync(running));
        running.Status = ExecutionStatus.Running;
        Assert.True(await executions.TrySaveAsync(running, "m1", null));
        var ended = StoreSet.NewExecution("app", "config", 2);
        Assert.True(await executions.CreateAsync(ended));
        ended.Status = ExecutionStatus.Running;
        Assert.True(await executions.TrySaveAsync(ended, "m1", null));
        ended.Status = ExecutionStatus.Succeeded;
        Assert.True(await executions.TrySaveAsync(ended, "m2", null));

        Assert.Empty(await executions.TakeIdleExecutionsAsync(0, 10));
        var idle = await executions.TakeIdleExecutionsAsync(long.MaxValue, 10);
        Assert.Equal([running.Id], idle);
        // Taken: marked now, so not taken again by a sweep that looks for those idle since before now.
        Assert.Empty(await executions.TakeIdleExecutionsAsync(DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds(), 10));
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task A_canceled_timer_is_gone_and_never_claimed(string kind)
    {
        var timers = StoreSet.Create(kind, redis).Timers;
        await timers.ScheduleAsync("task", "payload", 1_000);
        Assert.True(await timers.ExistsAsync("task"));

        await timers.CancelAsync("task");

        Assert.False(await timers.ExistsAsync("task"));
        Assert.Empty(await timers.ClaimDueAsync(2_000, 10, 1_000));
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Pending_executions_leave_oldest_or_newest_first_whatever_their_number(string kind)
    {
        IPendingExecutionStore pending = kind == StoreSet.InMemory
            ? new InMemoryPendingExecutionStore()
            : new RedisPendingExecutionStore(redis.Connection, StoreSet.Keys(RedisServerFixture.NewKeyPrefix()));
        for (var i = 0; i < 250; i++)
        {
            await pending.EnqueueAsync("config", $"e{i:D3}", 1_000 + i);
        }
        // Queued again (a redelivered start): still once, in its place.
        await pending.EnqueueAsync("config", "e000", 5_000);

        Assert.Equal(250, (await pending.ListAsync("config")).Count);
        Assert.Equal("e000", await pending.PopOldestAsync("config"));
        Assert.Equal("e249", await pending.PopNewestAsync("config"));
        var rest = await pending.PurgeAsync("config");
        Assert.Equal(248, rest.Count);
        Assert.Equal("e001", rest[0]);
        Assert.Null(await pending.PopOldestAsync("config"));

        Assert.Null(await pending.HolderAsync("config"));
        await pending.SetHolderAsync("config", "e001");
        Assert.Equal("e001", await pending.HolderAsync("config"));
    }
}
