namespace Delivery.Clouddriver.Distributed;

/// <summary>
/// This clouddriver process among its replicas: an id unique to the process (machine, pid and a random part, so a
/// restarted process with a recycled pid is a new replica), written into the leases and views it owns in Redis.
/// </summary>
public sealed class ClouddriverReplica
{
    /// <summary><c>{machine}:{pid}:{random}</c>.</summary>
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
}
