using System.Text.Json.Nodes;

namespace Delivery.Clouddriver.Kubernetes.Manifests;

/// <summary>
/// Spinnaker's annotations and labels on deployed manifests (Clouddriver's KubernetesManifestAnnotater and
/// KubernetesManifestLabeler): the moniker as <c>moniker.spinnaker.io/*</c> annotations, <c>app.kubernetes.io/name</c> and
/// <c>app.kubernetes.io/managed-by</c> labels, on the object and on its pod template.
/// </summary>
public static class SpinnakerMetadata
{
    public const string Application = "moniker.spinnaker.io/application";
    public const string Cluster = "moniker.spinnaker.io/cluster";
    public const string Stack = "moniker.spinnaker.io/stack";
    public const string Detail = "moniker.spinnaker.io/detail";
    public const string Sequence = "moniker.spinnaker.io/sequence";
    public const string Versioned = "strategy.spinnaker.io/versioned";
    public const string MaxVersionHistory = "strategy.spinnaker.io/max-version-history";
    public const string LoadBalancers = "traffic.spinnaker.io/load-balancers";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string AppName = "app.kubernetes.io/name";

    /// <summary>Kinds versioned unless <c>strategy.spinnaker.io/versioned</c> says otherwise (Clouddriver's defaults).</summary>
    public static readonly IReadOnlySet<string> VersionedByDefault = new HashSet<string>(StringComparer.Ordinal) { "ReplicaSet", "ConfigMap", "Secret", "Pod" };

    /// <summary>The cluster Spinnaker gives a manifest without one: <c>{kind} {name}</c> (<c>replicaSet web</c>).</summary>
    public static string DefaultCluster(JsonObject manifest) => $"{KindName(Kind(manifest))} {Name(manifest)}";

    /// <summary>A kind as Spinnaker names it in manifest names: camel case (<c>replicaSet</c>).</summary>
    public static string KindName(string kind) => char.ToLowerInvariant(kind[0]) + kind[1..];

    public static string Kind(JsonObject manifest) => manifest["kind"]!.GetValue<string>();

    public static string Name(JsonObject manifest) => manifest["metadata"]!["name"]!.GetValue<string>();

    public static string? Annotation(JsonObject manifest, string key) => manifest["metadata"]?["annotations"]?[key]?.GetValue<string>();

    /// <summary>Sets the moniker annotations and Spinnaker's labels; keeps labels the manifest sets itself.</summary>
    public static void Annotate(JsonObject manifest, string application, string cluster, string? stack, string? detail, int? sequence)
    {
        foreach (var metadata in Metadatas(manifest))
        {
            var annotations = Map(metadata, "annotations");
            annotations[Application] = application;
            annotations[Cluster] = cluster;
            if (stack is not null)
            {
                annotations[Stack] = stack;
            }
            if (detail is not null)
            {
                annotations[Detail] = detail;
            }
            if (sequence is { } s)
            {
                annotations[Sequence] = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            var labels = Map(metadata, "labels");
            labels[ManagedBy] ??= "spinnaker";
            labels[AppName] ??= application;
        }
    }

    /// <summary>The object's metadata, and its pod template's when it has one.</summary>
    public static IEnumerable<JsonObject> Metadatas(JsonObject manifest)
    {
        yield return Map(manifest, "metadata");
        if (PodTemplate(manifest) is { } template)
        {
            yield return Map(template, "metadata");
        }
    }

    /// <summary>A workload's pod template (<c>spec.template</c>, or <c>spec.jobTemplate.spec.template</c> for CronJobs).</summary>
    public static JsonObject? PodTemplate(JsonObject manifest) =>
        manifest["spec"]?["template"] as JsonObject ?? manifest["spec"]?["jobTemplate"]?["spec"]?["template"] as JsonObject;

    /// <summary>The pod spec of a workload or Pod.</summary>
    public static JsonObject? PodSpec(JsonObject manifest) =>
        Kind(manifest) == "Pod" ? manifest["spec"] as JsonObject : PodTemplate(manifest)?["spec"] as JsonObject;

    /// <summary>The child object <paramref name="key"/>, created when absent.</summary>
    public static JsonObject Map(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }
        var created = new JsonObject();
        parent[key] = created;
        return created;
    }
}
