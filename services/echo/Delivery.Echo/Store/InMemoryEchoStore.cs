using System.Collections.Concurrent;

namespace Delivery.Echo.Store;

/// <summary>The store of a single process (standalone with the in-memory store): claims and values with expiry.</summary>
public sealed class InMemoryEchoStore(TimeProvider time) : IEchoStore
{
    /// <summary>Entries kept at most; the oldest-expiring go first, so a flood of event ids cannot grow memory without bound.</summary>
    internal const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset? Expires)> _entries = new();
    private readonly Lock _gate = new();

    public Task<bool> TryClaimAsync(string key, string value, TimeSpan ttl)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && !Expired(entry.Expires))
            {
                return Task.FromResult(false);
            }
            Put(key, value, ttl);
            return Task.FromResult(true);
        }
    }

    public Task<string?> GetAsync(string key) =>
        Task.FromResult(_entries.TryGetValue(key, out var entry) && !Expired(entry.Expires) ? entry.Value : null);

    public Task SetAsync(string key, string value, TimeSpan? ttl = null)
    {
        lock (_gate)
        {
            Put(key, value, ttl);
        }
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string key)
    {
        _entries.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private void Put(string key, string value, TimeSpan? ttl)
    {
        if (_entries.Count >= MaxEntries)
        {
            foreach (var old in _entries.Where(e => e.Value.Expires is not null).OrderBy(e => e.Value.Expires).Take(MaxEntries / 10).ToList())
            {
                _entries.TryRemove(old.Key, out _);
            }
        }
        _entries[key] = (value, ttl is { } t ? time.GetUtcNow() + t : null);
    }

    private bool Expired(DateTimeOffset? expires) => expires is { } e && e <= time.GetUtcNow();
}
