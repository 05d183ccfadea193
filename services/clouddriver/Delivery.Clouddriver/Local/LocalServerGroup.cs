using Delivery.Clouddriver.Naming;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Local;

/// <summary>
/// A local server group: the desired state (capacity, enabled, load balancers) and the instances
/// running now. <see cref="LocalCloud"/> reconciles the two; every member is safe to call from any thread.
/// </summary>
/// <param name="firstInstanceIndex">Where instance ids (<c>{name}-i{n}</c>) start: above the ids an adopted server group had shown.</param>
public sealed class LocalServerGroup(string account, Moniker moniker, CreateServerGroup spec, DateTimeOffset createdTime, int firstInstanceIndex = 0)
{
    private readonly List<LocalInstance> _instances = [];
    private volatile ServerGroupCapacity _capacity = spec.Capacity;
    private volatile IReadOnlyList<string> _loadBalancers = spec.LoadBalancers?.Distinct(StringComparer.Ordinal).ToList() ?? [];
    private int _nextIndex = firstInstanceIndex;

    /// <summary>Guards the instance list and the replacement back-off.</summary>
    internal object Sync { get; } = new();

    public string Account { get; } = account;

    public Moniker Moniker { get; } = moniker;

    public string Name { get; } = moniker.ServerGroup;

    public CreateServerGroup Spec { get; } = spec;

    public string HealthCheckPath { get; } = string.IsNullOrEmpty(spec.HealthCheckPath) ? "/health" : spec.HealthCheckPath;

    public DateTimeOffset CreatedTime { get; } = createdTime;

    public ServerGroupCapacity Capacity { get => _capacity; set => _capacity = value; }

    public volatile bool Disabled;

    public volatile bool Destroyed;

    public IReadOnlyList<string> LoadBalancers { get => _loadBalancers; set => _loadBalancers = value; }

    /// <summary>Instances that exited without ever being Up since one was last Up: drives the replacement back-off.</summary>
    internal int StartFailures { get; set; }

    internal DateTimeOffset NextStartAllowed { get; set; }

    internal DateTimeOffset LastCrash { get; set; }

    public IReadOnlyList<LocalInstance> Instances
    {
        get
        {
            lock (Sync)
            {
                return [.. _instances];
            }
        }
    }

    internal List<LocalInstance> MutableInstances => _instances;

    internal string NextInstanceId() => $"{Name}-i{Interlocked.Increment(ref _nextIndex) - 1}";

    public int RunningCount => Instances.Count(i => !i.Exited);

    public int UpCount => Instances.Count(i => i.Routable);
}
