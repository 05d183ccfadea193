namespace Delivery.Contracts.Clouddriver;

/// <summary>One server group of a <see cref="ClusterServerGroups"/> reply.</summary>
/// <param name="Name">Server group name <c>app-stack-detail-vNNN</c>.</param>
/// <param name="Disabled">True when it is out of its load balancers.</param>
/// <param name="Capacity">Its capacity.</param>
/// <param name="UpInstances">How many of its instances are Up (or OutOfService, i.e. healthy but disabled).</param>
/// <param name="Instances">How many instances it runs.</param>
/// <param name="CreatedTime">When it was created, epoch milliseconds.</param>
/// <param name="LoadBalancers">The load balancers it is registered with.</param>
/// <param name="Artifact">What its instances run (local provider).</param>
/// <param name="Env">Its instances' environment (local provider).</param>
/// <param name="HealthCheckPath">Its health check path (local provider).</param>
public sealed record ClusterServerGroup(
    string Name,
    bool Disabled,
    ServerGroupCapacity Capacity,
    int UpInstances,
    int Instances,
    long CreatedTime,
    IReadOnlyList<string> LoadBalancers,
    ProcessArtifact? Artifact = null,
    IReadOnlyDictionary<string, string>? Env = null,
    string? HealthCheckPath = null);
