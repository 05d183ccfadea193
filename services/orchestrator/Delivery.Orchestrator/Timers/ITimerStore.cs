namespace Delivery.Orchestrator.Timers;

/// <summary>
/// Durable delayed messages (task backoff, wait stages, timeouts), keyed so that scheduling the
/// same key again moves the timer instead of adding a second one.
/// </summary>
public interface ITimerStore
{
    Task ScheduleAsync(string key, string payload, long dueMs);

    /// <summary>
    /// Atomically takes due timers and pushes each one's due time out by <paramref name="leaseMs"/>,
    /// so that a dispatcher that dies before acknowledging leaves them to another.
    /// </summary>
    Task<IReadOnlyList<ClaimedTimer>> ClaimDueAsync(long nowMs, int max, long leaseMs);

    /// <summary>Removes a claimed timer, unless it was rescheduled after the claim.</summary>
    Task AckAsync(ClaimedTimer timer);

    Task<long?> NextDueAsync();

    /// <summary>Whether a timer is scheduled (or claimed and not yet acknowledged) under <paramref name="key"/>.</summary>
    Task<bool> ExistsAsync(string key);

    /// <summary>Removes the timer under <paramref name="key"/>, if any: its task ended, so it must not fire.</summary>
    Task CancelAsync(string key);
}

/// <summary>A claimed timer; <paramref name="DueMs"/> is when it fell due (for a timer re-claimed after a lease ran out, when that lease ended).</summary>
public sealed record ClaimedTimer(string Key, string Payload, long ClaimedUntil, long DueMs);
