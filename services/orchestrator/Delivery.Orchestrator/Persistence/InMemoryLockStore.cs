using System.Collections.Concurrent;

namespace Delivery.Orchestrator.Persistence;

public sealed class InMemoryLockStore : ILockStore
{
    private readonly ConcurrentDictionary<string, Guid> _held = new();

    public Task<IAsyncDisposable?> TryAcquireAsync(string name, TimeSpan ttl)
    {
        var token = Guid.NewGuid();
        return Task.FromResult<IAsyncDisposable?>(_held.TryAdd(name, token) ? new Held(_held, name, token) : null);
    }

    private sealed class Held(ConcurrentDictionary<string, Guid> held, string name, Guid token) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            held.TryRemove(new KeyValuePair<string, Guid>(name, token));
            return ValueTask.CompletedTask;
        }
    }
}
