using System.ComponentModel.DataAnnotations;

namespace Delivery.Clouddriver.Kubernetes;

/// <summary>The Kubernetes provider's settings, bound from <c>Delivery:Clouddriver:Kubernetes</c> and validated at start.</summary>
public sealed class KubernetesProviderOptions
{
    public const string Section = "Delivery:Clouddriver:Kubernetes";

    /// <summary>One account per cluster (or per context of a kubeconfig).</summary>
    public List<KubernetesAccountOptions> Accounts { get; set; } = [];

    /// <summary>The field manager of server-side apply.</summary>
    [Required, RegularExpression("^[a-zA-Z0-9._:-]{1,128}$")] public string FieldManager { get; set; } = "delivery";

    /// <summary>How long a deploy waits for its manifests to become stable, in seconds.</summary>
    [Range(1, 24 * 3600)] public int StableTimeoutSeconds { get; set; } = 600;

    /// <summary>How often a wait re-reads an object's status, in milliseconds.</summary>
    [Range(10, 60_000)] public int StatusPollMs { get; set; } = 100;

    /// <summary>How often an account's cluster is probed (<c>GET /version</c>), in seconds.</summary>
    [Range(1, 3600)] public int HealthCheckIntervalSeconds { get; set; } = 30;

    /// <summary>The timeout of one request to a cluster, in seconds (watches excepted).</summary>
    [Range(1, 600)] public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Most manifests one deploy may carry.</summary>
    [Range(1, 1000)] public int MaxManifestsPerDeploy { get; set; } = 100;

    /// <summary>
    /// Where Kubernetes mounts the pod's service account (<c>token</c>, <c>ca.crt</c>, <c>namespace</c>), which in-cluster
    /// accounts use; Kubernetes' own path unless a test points it elsewhere.
    /// </summary>
    [Required] public string ServiceAccountDirectory { get; set; } = "/var/run/secrets/kubernetes.io/serviceaccount";
}

/// <summary>A Kubernetes account (Spinnaker's kubernetes credentials).</summary>
public sealed class KubernetesAccountOptions
{
    /// <summary>Account name, as operations and the read API name it.</summary>
    [Required, RegularExpression("^[a-zA-Z0-9._-]{1,64}$")] public string Name { get; set; } = "";

    /// <summary>Path of the kubeconfig file; none: the account is in-cluster (see <see cref="ServiceAccount"/>).</summary>
    public string KubeconfigFile { get; set; } = "";

    /// <summary>
    /// Whether the account is the cluster clouddriver runs in, reached with the pod's service account (Clouddriver's
    /// <c>serviceAccount: true</c>; an account with no <see cref="KubeconfigFile"/> is one too, as kubectl with no kubeconfig
    /// falls back to the in-cluster configuration).
    /// </summary>
    public bool ServiceAccount { get; set; }

    /// <summary>Whether the account uses the pod's service account rather than a kubeconfig.</summary>
    public bool InCluster => ServiceAccount || KubeconfigFile.Length == 0;

    /// <summary>The kubeconfig context; its current context when empty.</summary>
    public string? Context { get; set; }

    /// <summary>The namespaces the account may deploy to and shows; empty: all.</summary>
    public List<string> Namespaces { get; set; } = [];
}
