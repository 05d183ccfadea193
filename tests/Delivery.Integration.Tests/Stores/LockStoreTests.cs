using Delivery.Integration.Tests.Infrastructure;
using Delivery.Orchestrator.Persistence;

namespace Delivery.Integration.Tests.Stores;

[Collection(RedisCollection.Name)]
public sealed class LockStoreTests(RedisServerFixture redis)
{
    private ILockStore Create(string kind) => kind == StoreSet.Redis
        ? new RedisLockStore(redis.Connection, StoreSet.Keys(RedisServerFixture.NewKeyPrefix()))
        : new InMemoryLockStore();

    [Theory]
    [MemberData(nameof(StoreSet.Kinds), MemberType = typeof(StoreSet))]
    public async Task A_held_lock_is_refused_to_others_until_released(string kind)
    {
        var locks = Create(kind);

        var held = await locks.TryAcquireAsync("start:p", TimeSpan.FromSeconds(30));
        Assert.NotNull(held);
        Assert.Null(await locks.TryAcquireAsync("start:p", TimeSpan.FromSeconds(30)));
        Assert.NotNull(await locks.TryAcquireAsync("start:other", TimeSpan.FromSeconds(30)));

        await held.DisposeAsync();

        Assert.NotNull(await locks.TryAcquireAsync("start:p", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_Redis_lock_whose_holder_died_frees_itself_after_its_ttl()
    {
        var locks = Create(StoreSet.Redis);
        Assert.NotNull(await locks.TryAcquireAsync("start:p", TimeSpan.FromMilliseconds(200)));

        Assert.Null(await locks.TryAcquireAsync("start:p", TimeSpan.FromSeconds(30)));
        await Task.Delay(400);

        Assert.NotNull(await locks.TryAcquireAsync("start:p", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Releasing_an_expired_lock_does_not_free_its_next_holder()
    {
        var locks = Create(StoreSet.Redis);
        var first = await locks.TryAcquireAsync("start:p", TimeSpan.FromMilliseconds(200));
        await Task.Delay(400);
        var second = await locks.TryAcquireAsync("start:p", TimeSpan.FromSeconds(30));
        Assert.NotNull(second);

        await first!.DisposeAsync();

        Assert.Null(await locks.TryAcquireAsync("start:p", TimeSpan.FromSeconds(30)));
    }
}
