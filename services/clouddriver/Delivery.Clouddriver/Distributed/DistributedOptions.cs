using System.ComponentModel.DataAnnotations;

namespace Delivery.Clouddriver.Distributed;

/// <summary>
/// Leases and cache timings of clouddriver replicas sharing Redis, bound from <c>Delivery:Clouddriver:Distributed</c>.
/// Only used when the store is Redis; a standalone process keeps all of it in memory.
/// </summary>
public sealed class DistributedOptions
{
    public const string Section = "Delivery:Clouddriver:Distributed";

    /// <summary>
    /// How long a replica's leases (hosting the local cloud, a claimed operation) outlive it (ms): a replica that dies is
    /// replaced this long after its last renewal. Leases are renewed every third of it.
    /// </summary>
    [Range(500, 300_000)] public int LeaseMs { get; set; } = 5000;

    /// <summary>How long the local cloud's cached views live once their writer stops refreshing them (s).</summary>
    [Range(5, 86_400)] public int InventoryTtlSeconds { get; set; } = 600;

    /// <summary>How often the host rewrites views that did not change, to keep them from expiring (ms).</summary>
    [Range(100, 600_000)] public int InventoryRefreshMs { get; set; } = 30_000;
}
