using System.ComponentModel.DataAnnotations;

namespace Delivery.Clouddriver.Local;

/// <summary>The <c>local</c> provider's bounds and timings, bound from <c>Delivery:Clouddriver:Local</c>.</summary>
public sealed class LocalProviderOptions
{
    public const string Section = "Delivery:Clouddriver:Local";

    /// <summary>
    /// Where a pid file per running instance is kept, so that a host restarted after a crash stops what
    /// the dead host left running. Several hosts may share it: a host only cleans up after hosts that are gone.
    /// </summary>
    [Required] public string StateDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "delivery-clouddriver-local");

    /// <summary>Largest <c>capacity.max</c> of one server group.</summary>
    [Range(1, 1000)] public int MaxInstancesPerServerGroup { get; set; } = 20;

    /// <summary>Most instances (processes) running at once over every local account.</summary>
    [Range(1, 10_000)] public int MaxInstances { get; set; } = 100;

    /// <summary>Most load balancers (listeners) at once.</summary>
    [Range(1, 1000)] public int MaxLoadBalancers { get; set; } = 20;

    /// <summary>How often each instance's health check is called, and how often dead instances are replaced (ms).</summary>
    [Range(20, 60_000)] public int HealthProbeIntervalMs { get; set; } = 250;

    /// <summary>How long one health check may take before it counts as failed (ms).</summary>
    [Range(50, 60_000)] public int HealthProbeTimeoutMs { get; set; } = 1000;

    /// <summary>How long an operation waits for new instances to be Up before it fails (s).</summary>
    [Range(1, 3600)] public int InstanceStartupTimeoutSeconds { get; set; } = 60;

    /// <summary>How long a dead instance stays listed (as Down) when no replacement is Up yet (s).</summary>
    [Range(0, 3600)] public int DeadInstanceRetentionSeconds { get; set; } = 30;

    /// <summary>How long an instance being stopped (scale down, terminate, destroy) may finish requests already sent to it (ms).</summary>
    [Range(0, 600_000)] public int DrainTimeoutMs { get; set; } = 5000;

    /// <summary>Characters of stdout and of stderr kept per instance (the most recent).</summary>
    [Range(1024, 16 * 1024 * 1024)] public int ConsoleCharsPerStream { get; set; } = 64 * 1024;

    /// <summary>Instances a load balancer tries for one request whose connection fails, before answering 502.</summary>
    [Range(1, 10)] public int ForwardAttempts { get; set; } = 3;

    /// <summary>Largest request body a load balancer accepts (bytes); bodies are buffered so a failed connection can be retried.</summary>
    [Range(0, 1024 * 1024 * 1024)] public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How long a load balancer waits for an instance's response before answering 504 (s).</summary>
    [Range(1, 3600)] public int ForwardTimeoutSeconds { get; set; } = 100;
}
