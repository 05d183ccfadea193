namespace Delivery.Orchestrator.Persistence;

/// <summary>Short named locks shared by every replica, for decisions that span several executions.</summary>
public interface ILockStore
{
    /// <summary>Takes the lock if it is free; it frees itself after <paramref name="ttl"/> should its holder die.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string name, TimeSpan ttl);
}

public static class LockStoreExtensions
{
    /// <summary>Waits for a lock, up to <paramref name="wait"/>; throws <see cref="TimeoutException"/> after that.</summary>
    public static async Task<IAsyncDisposable> AcquireAsync(this ILockStore locks, string name, TimeSpan ttl, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            if (await locks.TryAcquireAsync(name, ttl) is { } held)
            {
                return held;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Lock '{name}' was not free within {wait}.");
            }
            await Task.Delay(Random.Shared.Next(1, 5), cancellationToken);
        }
    }
}
