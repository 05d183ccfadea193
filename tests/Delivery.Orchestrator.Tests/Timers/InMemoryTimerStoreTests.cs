using Delivery.Orchestrator.Timers;

namespace Delivery.Orchestrator.Tests.Timers;

public sealed class InMemoryTimerStoreTests
{
    private readonly InMemoryTimerStore _store = new();

    [Fact]
    public async Task ClaimDue_ReturnsOnlyDueTimers()
    {
        await _store.ScheduleAsync("a", "A", 100);
        await _store.ScheduleAsync("b", "B", 300);

        var claimed = await _store.ClaimDueAsync(200, 10, 1_000);

        Assert.Equal(["A"], claimed.Select(c => c.Payload));
        Assert.Equal(300, await _store.NextDueAsync());
    }

    [Fact]
    public async Task ClaimedTimer_IsNotClaimedAgainUntilTheLeaseEnds()
    {
        await _store.ScheduleAsync("a", "A", 100);
        await _store.ClaimDueAsync(100, 10, 1_000);

        Assert.Empty(await _store.ClaimDueAsync(500, 10, 1_000));
        Assert.Single(await _store.ClaimDueAsync(1_100, 10, 1_000));
    }

    [Fact]
    public async Task Schedule_SameKeyMovesTheTimer()
    {
        await _store.ScheduleAsync("a", "first", 100);
        await _store.ScheduleAsync("a", "second", 400);

        Assert.Empty(await _store.ClaimDueAsync(200, 10, 1_000));
        Assert.Equal(["second"], (await _store.ClaimDueAsync(400, 10, 1_000)).Select(c => c.Payload));
    }

    [Fact]
    public async Task Ack_AfterARescheduleKeepsTheNewTimer()
    {
        await _store.ScheduleAsync("a", "first", 100);
        var claimed = (await _store.ClaimDueAsync(100, 10, 1_000)).Single();
        await _store.ScheduleAsync("a", "again", 600);

        await _store.AckAsync(claimed);

        Assert.Equal(["again"], (await _store.ClaimDueAsync(600, 10, 1_000)).Select(c => c.Payload));
    }

    [Fact]
    public async Task Ack_RemovesAClaimedTimer()
    {
        await _store.ScheduleAsync("a", "A", 100);
        var claimed = (await _store.ClaimDueAsync(100, 10, 1_000)).Single();

        await _store.AckAsync(claimed);

        Assert.Null(await _store.NextDueAsync());
        Assert.Empty(await _store.ClaimDueAsync(10_000, 10, 1_000));
    }
}
