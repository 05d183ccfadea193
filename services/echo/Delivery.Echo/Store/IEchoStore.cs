namespace Delivery.Echo.Store;

/// <summary>
/// Echo's small amount of shared state: claims that make one replica (and one delivery) act on an event,
/// last cron fire times, and application notification preferences. In Redis when the installation's store
/// is Redis (so every replica shares it), else in memory.
/// </summary>
public interface IEchoStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="ttl"/>, recording <paramref name="value"/>: true for the one
    /// caller that got it, false while someone else's claim lasts.
    /// </summary>
    Task<bool> TryClaimAsync(string key, string value, TimeSpan ttl);

    /// <summary>The value stored under <paramref name="key"/>, or null.</summary>
    Task<string?> GetAsync(string key);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, for <paramref name="ttl"/> or forever when null.</summary>
    Task SetAsync(string key, string value, TimeSpan? ttl = null);

    /// <summary>Removes <paramref name="key"/> (a claim given back after the work failed, so a retry may act).</summary>
    Task DeleteAsync(string key);
}
