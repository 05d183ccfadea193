using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Providers;

/// <summary>A server group as the read API shows it (Spinnaker's server group summary plus the local provider's fields).</summary>
/// <param name="CreatedTime">Epoch milliseconds.</param>
public sealed record ServerGroupView(
    string Name,
    string Cluster,
    string Account,
    string Region,
    string CloudProvider,
    MonikerView Moniker,
    bool Disabled,
    ServerGroupCapacity Capacity,
    IReadOnlyList<InstanceView> Instances,
    IReadOnlyList<string> LoadBalancers,
    long CreatedTime,
    ProcessArtifact? Artifact,
    IReadOnlyDictionary<string, string>? Env,
    string? HealthCheckPath);

/// <summary>Spinnaker's moniker as JSON.</summary>
public sealed record MonikerView(string App, string Cluster, string? Stack, string? Detail, int? Sequence);

/// <summary>One instance: <see cref="Health"/> is <c>Up</c>, <c>Down</c>, <c>Starting</c> or <c>OutOfService</c>.</summary>
/// <param name="LaunchTime">Epoch milliseconds.</param>
public sealed record InstanceView(string Id, string Name, int? Port, int? Pid, string Health, long LaunchTime, int? ExitCode);

/// <summary>A load balancer: <see cref="Url"/> is where clients send requests.</summary>
public sealed record LoadBalancerView(
    string Name,
    string Account,
    string Region,
    string CloudProvider,
    string? Url,
    IReadOnlyDictionary<string, int>? Weights,
    IReadOnlyList<LoadBalancerServerGroupView> ServerGroups);

/// <summary>A server group behind a load balancer, with the share of traffic it gets now (0..100).</summary>
public sealed record LoadBalancerServerGroupView(string Name, bool Disabled, int HealthyInstances, double TrafficPercent);

/// <summary>An instance's recent console output, one entry per stream (<c>stdout</c>, <c>stderr</c>), oldest text first.</summary>
public sealed record ConsoleOutputView(string InstanceId, IReadOnlyList<ConsoleStreamView> Output);

/// <summary>The retained tail of one stream; <see cref="Truncated"/> when older text was dropped.</summary>
public sealed record ConsoleStreamView(string Name, string Output, bool Truncated);
