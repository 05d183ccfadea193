using System.Text.Json.Nodes;

namespace Delivery.Clouddriver.Kubernetes.Manifests;

/// <summary>How a manifest is put on the cluster (Clouddriver's KubernetesManifestStrategy.DeployStrategy).</summary>
public enum DeployStrategy
{
    /// <summary>Server-side apply (the default).</summary>
    Apply,

    /// <summary><c>strategy.spinnaker.io/recreate</c>: the live object is deleted, and gone, before the manifest is applied.</summary>
    Recreate,

    /// <summary><c>strategy.spinnaker.io/replace</c>: the live object is replaced whole (PUT, as <c>kubectl replace</c>), or created.</summary>
    Replace,
}

/// <summary>
/// A manifest's <c>strategy.spinnaker.io/*</c> annotations (Clouddriver's KubernetesManifestStrategy.fromAnnotations): the
/// deploy strategy (<c>recreate</c> wins over <c>replace</c>, each only when <c>"true"</c>) and <c>use-source-capacity</c>.
/// </summary>
public sealed record ManifestStrategy(DeployStrategy Deploy, bool UseSourceCapacity)
{
    public const string Recreate = "strategy.spinnaker.io/recreate";
    public const string Replace = "strategy.spinnaker.io/replace";
    public const string UseSourceCapacityKey = "strategy.spinnaker.io/use-source-capacity";

    /// <summary>Kinds whose <c>spec.replicas</c> <c>use-source-capacity</c> copies (Clouddriver's CanScale handlers).</summary>
    public static readonly IReadOnlySet<string> Scalable = new HashSet<string>(StringComparer.Ordinal) { "Deployment", "ReplicaSet", "StatefulSet" };

    public static ManifestStrategy Of(JsonObject manifest)
    {
        static bool Flag(JsonObject m, string key) => bool.TryParse(SpinnakerMetadata.Annotation(m, key), out var on) && on;
        var deploy = Flag(manifest, Recreate) ? DeployStrategy.Recreate : Flag(manifest, Replace) ? DeployStrategy.Replace : DeployStrategy.Apply;
        return new ManifestStrategy(deploy, Flag(manifest, UseSourceCapacityKey));
    }
}
