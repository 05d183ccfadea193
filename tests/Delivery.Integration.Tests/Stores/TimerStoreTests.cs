using System.Collections.Concurrent;
using Delivery.Integration.Tests.Infrastructure;
using Delivery.Orchestrator.Timers;

namespace Delivery.Integration.Tests.Stores;

/// <summary>Timer stores are given the time: no test here waits for a clock.</summary>
[Collection(RedisCollection.Name)]
public sealed class TimerStoreTests(RedisServerFixture redis)
{
    private const long T0 = 1_700_000_000_000;

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Due_timers_are_claimed_with_a_lease_and_not_claimable_again_until_it_passes(string kind)
    {
        var timers = StoreSet.Create(kind, redis).Timers;
        await timers.ScheduleAsync("a", "payload a", T0 + 1_000);
        await timers.ScheduleAsync("b", "payload b", T0 + 2_000);
        await timers.ScheduleAsync("c", "payload c", T0 + 5_000);
        Assert.Equal(T0 + 1_000, await timers.NextDueAsync());

        Assert.Empty(await timers.ClaimDueAsync(T0 + 999, 10, 1_000));
        var claimed = await timers.ClaimDueAsync(T0 + 2_500, 10, 1_000);
        Assert.Equal(["a", "b"], claimed.Select(t => t.Key).Order());
        Assert.All(claimed, t => Assert.Equal(T0 + 3_500, t.ClaimedUntil));
        Assert.Equal("payload a", claimed.Single(t => t.Key == "a").Payload);
        // When each fell due, for the timer-lag metric.
        Assert.Equal(T0 + 1_000, claimed.Single(t => t.Key == "a").DueMs);
        Assert.Equal(T0 + 2_000, claimed.Single(t => t.Key == "b").DueMs);

        // Leased: nobody else takes them before the lease ends; then they are due again.
        Assert.Empty(await timers.ClaimDueAsync(T0 + 3_499, 10, 1_000));
        Assert.Equal(T0 + 3_500, await timers.NextDueAsync());
        var again = await timers.ClaimDueAsync(T0 + 3_500, 10, 1_000);
        Assert.Equal(["a", "b"], again.Select(t => t.Key).Order());
        Assert.All(again, t => Assert.Equal(T0 + 4_500, t.ClaimedUntil));
        // A re-claimed timer fell due again when the abandoned lease ended.
        Assert.All(again, t => Assert.Equal(T0 + 3_500, t.DueMs));

        var withC = await timers.ClaimDueAsync(T0 + 5_000, 10, 1_000);
        Assert.Equal(["a", "b", "c"], withC.Select(t => t.Key).Order());
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task A_claim_takes_at_most_the_batch_size_earliest_first(string kind)
    {
        var timers = StoreSet.Create(kind, redis).Timers;
        for (var i = 0; i < 10; i++)
        {
            await timers.ScheduleAsync($"t{i}", $"p{i}", T0 + (10 - i));
        }
        var first = await timers.ClaimDueAsync(T0 + 100, 4, 60_000);
        Assert.Equal(["t9", "t8", "t7", "t6"], first.Select(t => t.Key));
        var rest = await timers.ClaimDueAsync(T0 + 100, 100, 60_000);
        Assert.Equal(6, rest.Count);
        Assert.Empty(first.Select(t => t.Key).Intersect(rest.Select(t => t.Key)));
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Scheduling_the_same_key_again_moves_the_timer(string kind)
    {
        var timers = StoreSet.Create(kind, redis).Timers;
        await timers.ScheduleAsync("k", "early", T0 + 1_000);
        await timers.ScheduleAsync("k", "late", T0 + 5_000);

        Assert.Equal(T0 + 5_000, await timers.NextDueAsync());
        Assert.Empty(await timers.ClaimDueAsync(T0 + 4_999, 10, 1_000));
        var claimed = Assert.Single(await timers.ClaimDueAsync(T0 + 5_000, 10, 1_000));
        Assert.Equal(("k", "late"), (claimed.Key, claimed.Payload));

        // Earlier again works too.
        await timers.ScheduleAsync("k", "sooner", T0 + 2_000);
        var sooner = Assert.Single(await timers.ClaimDueAsync(T0 + 2_000, 10, 1_000));
        Assert.Equal("sooner", sooner.Payload);
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Ack_removes_a_claimed_timer(string kind)
    {
        var timers = StoreSet.Create(kind, redis).Timers;
        await timers.ScheduleAsync("k", "p", T0);
        var claimed = Assert.Single(await timers.ClaimDueAsync(T0, 10, 1_000));
        await timers.AckAsync(claimed);
        Assert.Null(await timers.NextDueAsync());
        Assert.Empty(await timers.ClaimDueAsync(T0 + 1_000_000, 10, 1_000));
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Ack_after_a_reschedule_keeps_the_new_timer(string kind)
    {
        var timers = StoreSet.Create(kind, redis).Timers;
        await timers.ScheduleAsync("k", "first", T0);
        var claimed = Assert.Single(await timers.ClaimDueAsync(T0, 10, 1_000));

        // The message the timer carried ran and asked to run again later, before the dispatcher acknowledged.
        await timers.ScheduleAsync("k", "second", T0 + 10_000);
        await timers.AckAsync(claimed);

        Assert.Equal(T0 + 10_000, await timers.NextDueAsync());
        var next = Assert.Single(await timers.ClaimDueAsync(T0 + 10_000, 10, 1_000));
        Assert.Equal("second", next.Payload);
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task A_late_ack_does_not_remove_a_timer_another_dispatcher_claimed_after_the_lease(string kind)
    {
        var timers = StoreSet.Create(kind, redis).Timers;
        await timers.ScheduleAsync("k", "p", T0);
        var slow = Assert.Single(await timers.ClaimDueAsync(T0, 10, 1_000));
        var other = Assert.Single(await timers.ClaimDueAsync(T0 + 1_000, 10, 1_000));

        await timers.AckAsync(slow);
        Assert.Equal(T0 + 2_000, await timers.NextDueAsync());
        await timers.AckAsync(other);
        Assert.Null(await timers.NextDueAsync());
    }

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task Concurrent_claimers_never_both_get_one_timer(string kind)
    {
        const int count = 3_000;
        const int claimers = 4;
        var prefix = RedisServerFixture.NewKeyPrefix();
        var connections = new List<StackExchange.Redis.ConnectionMultiplexer>();
        var stores = new List<ITimerStore>();
        var inMemory = new InMemoryTimerStore();
        for (var i = 0; i < claimers; i++)
        {
            if (kind == StoreSet.Redis)
            {
                // Each claimer is a replica with its own connection.
                var connection = redis.Connect();
                connections.Add(connection);
                stores.Add(StoreSet.ForRedis(connection, StoreSet.Keys(prefix)).Timers);
            }
            else
            {
                stores.Add(inMemory);
            }
        }
        try
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(i => stores[i % claimers].ScheduleAsync($"timer-{i}", $"payload-{i}", T0 + (i % 97))));

            var claims = new ConcurrentBag<(int Claimer, ClaimedTimer Timer)>();
            await Task.WhenAll(stores.Select((store, index) => Task.Run(async () =>
            {
                while (true)
                {
                    var batch = await store.ClaimDueAsync(T0 + 1_000, 7 + index, 60_000);
                    if (batch.Count == 0)
                    {
                        return;
                    }
                    foreach (var timer in batch)
                    {
                        claims.Add((index, timer));
                    }
                }
            })));

            var byKey = claims.GroupBy(c => c.Timer.Key).ToList();
            var twice = byKey.Where(g => g.Count() > 1).Select(g => $"{g.Key} by {string.Join(",", g.Select(c => c.Claimer))}").ToList();
            Assert.True(twice.Count == 0, $"{twice.Count} timers were claimed more than once: {string.Join("; ", twice.Take(10))}");
            Assert.Equal(count, byKey.Count);
            Assert.All(claims, c => Assert.Equal($"payload-{c.Timer.Key["timer-".Length..]}", c.Timer.Payload));
            if (kind == StoreSet.Redis)
            {
                Assert.True(claims.Select(c => c.Claimer).Distinct().Count() > 1, "only one claimer got timers: the test did not run them concurrently");
            }

            await Task.WhenAll(claims.Select(c => stores[c.Claimer].AckAsync(c.Timer)));
            Assert.Null(await stores[0].NextDueAsync());
        }
        finally
        {
            foreach (var connection in connections)
            {
                RedisServerFixture.Close(connection);
            }
        }
    }
}
