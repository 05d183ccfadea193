namespace Delivery.Orchestrator.Timers;

public sealed class InMemoryTimerStore : ITimerStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Due, string Payload)> _timers = [];
    private readonly PriorityQueue<string, long> _queue = new();

    public Task ScheduleAsync(string key, string payload, long dueMs)
    {
        lock (_lock)
        {
            _timers[key] = (dueMs, payload);
            _queue.Enqueue(key, dueMs);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ClaimedTimer>> ClaimDueAsync(long nowMs, int max, long leaseMs)
    {
        var claimed = new List<ClaimedTimer>();
        lock (_lock)
        {
            while (claimed.Count < max && _queue.TryPeek(out var key, out var due) && due <= nowMs)
            {
                _queue.Dequeue();
                // Queue entries left behind by a reschedule are stale: the dictionary holds the truth.
                if (_timers.TryGetValue(key, out var timer) && timer.Due == due)
                {
                    var until = nowMs + leaseMs;
                    _timers[key] = (until, timer.Payload);
                    _queue.Enqueue(key, until);
                    claimed.Add(new ClaimedTimer(key, timer.Payload, until, due));
                }
            }
        }
        return Task.FromResult<IReadOnlyList<ClaimedTimer>>(claimed);
    }

    public Task AckAsync(ClaimedTimer timer)
    {
        lock (_lock)
        {
            if (_timers.TryGetValue(timer.Key, out var current) && current.Due == timer.ClaimedUntil)
            {
                _timers.Remove(timer.Key);
            }
        }
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string key)
    {
        lock (_lock)
        {
            return Task.FromResult(_timers.ContainsKey(key));
        }
    }

    public Task CancelAsync(string key)
    {
        lock (_lock)
        {
            // Its queue entry stays behind and is skipped like any stale one.
            _timers.Remove(key);
        }
        return Task.CompletedTask;
    }

    public Task<long?> NextDueAsync()
    {
        lock (_lock)
        {
            while (_queue.TryPeek(out var key, out var due))
            {
                if (_timers.TryGetValue(key, out var timer) && timer.Due == due)
                {
                    return Task.FromResult<long?>(due);
                }
                _queue.Dequeue();
            }
            return Task.FromResult<long?>(null);
        }
    }
}
