namespace Delivery.Gate.Proxy;

/// <summary>
/// Where a gate running on its own forwards the HTTP APIs of the other services, bound from
/// <c>Delivery:Gate:Services</c> (e.g. <c>Delivery__Gate__Services__Clouddriver=http://clouddriver:8080</c>).
/// Leave a service unset when it runs in gate's process (standalone), which maps its routes itself.
/// </summary>
public sealed class ServiceProxyOptions
{
    public const string Section = "Delivery:Gate:Services";

    /// <summary>Clouddriver's base address: <c>/credentials</c>, <c>/applications/{app}/clusters|serverGroups|loadBalancers</c>, <c>/instances</c>, <c>/manifests</c>, <c>/clouddriver/ops</c>.</summary>
    public Uri? Clouddriver { get; set; }

    /// <summary>Canary-judge's base address: <c>/v2/canaryConfig</c>, <c>/v2/canaries</c>.</summary>
    public Uri? CanaryJudge { get; set; }

    /// <summary>Echo's base address: <c>/webhooks</c>, <c>/notifications</c>.</summary>
    public Uri? Echo { get; set; }
}
