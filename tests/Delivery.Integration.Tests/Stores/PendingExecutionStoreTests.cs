using Delivery.Integration.Tests.Infrastructure;
using Delivery.Orchestrator.Persistence;

namespace Delivery.Integration.Tests.Stores;

/// <summary>
/// The FIFO of a <c>limitConcurrent</c> pipeline holds queued restarts beside queued starts, the same in memory and in
/// Redis: a start is placed by its build time, a restart by the time it was requested (Orca's PendingExecutionService).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class PendingExecutionStoreTests(RedisServerFixture redis)
{
    private IPendingExecutionStore Create(string kind) => kind == StoreSet.InMemory
        ? new InMemoryPendingExecutionStore()
        : new RedisPendingExecutionStore(redis.Connection, StoreSet.Keys(RedisServerFixture.NewKeyPrefix()));

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task A_queued_restart_takes_its_place_among_queued_starts_by_the_time_it_was_asked_for(string kind)
    {
        var pending = Create(kind);
        // "old" was built first and ended; its restart is asked for between the builds of "b" and "c".
        await pending.EnqueueAsync("config", "b", 2_000);
        await pending.EnqueueAsync("config", "old", 2_500);
        await pending.EnqueueAsync("config", "c", 3_000);
        // The restart request redelivered later: it keeps its place.
        await pending.EnqueueAsync("config", "old", 9_000);

        Assert.Equal(["b", "old", "c"], await pending.ListAsync("config"));
        Assert.Equal(3, await pending.CountAsync("config"));
        Assert.Equal("b", await pending.PopOldestAsync("config"));
        Assert.Equal("old", await pending.PopOldestAsync("config"));

        // Taken, then restarted again while another runs: queued anew, behind what waits.
        await pending.EnqueueAsync("config", "old", 4_000);
        Assert.Equal(["c", "old"], await pending.ListAsync("config"));
        Assert.Equal("old", await pending.PopNewestAsync("config"));
        Assert.Equal(["c"], await pending.PurgeAsync("config"));
        Assert.Equal(0, await pending.CountAsync("config"));
        Assert.Equal(0, await pending.CountAsync("other"));
    }
}
