namespace Delivery.KubernetesTestServer.Storage;

/// <summary>One served resource (an <c>APIResource</c> of discovery): where it lives and what it answers.</summary>
/// <param name="Group">API group; empty for the core group (<c>/api/v1</c>).</param>
/// <param name="Plural">The URL segment, e.g. <c>deployments</c>.</param>
/// <param name="HasScale">Serves the <c>scale</c> subresource (<c>autoscaling/v1 Scale</c> over <c>spec.replicas</c>).</param>
/// <param name="HasStatus">Serves the <c>status</c> subresource; writes to the main resource then keep the stored status.</param>
public sealed record ResourceType(string Group, string Version, string Kind, string Plural, bool Namespaced,
    bool HasStatus = false, bool HasScale = false, IReadOnlyList<string>? ShortNames = null)
{
    /// <summary><c>apps/v1</c>, or <c>v1</c> for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The storage key: group and resource (versions share storage as in Kubernetes).</summary>
    public string Key => $"{Group}/{Plural}";

    /// <summary>Singular lower-case name, as discovery shows it.</summary>
    public string Singular => Kind.ToLowerInvariant();

    /// <summary>A <c>group/resource</c> display string as the API server's messages use it (<c>deployments.apps</c>).</summary>
    public string Qualified => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}

/// <summary>The resources the server serves; custom resources are added when a CustomResourceDefinition is stored.</summary>
public sealed class ResourceTypes
{
    private readonly Lock _lock = new();
    private readonly List<ResourceType> _types =
    [
        new("", "v1", "Namespace", "namespaces", false, HasStatus: true, ShortNames: ["ns"]),
        new("", "v1", "Pod", "pods", true, HasStatus: true, ShortNames: ["po"]),
        new("", "v1", "Service", "services", true, HasStatus: true, ShortNames: ["svc"]),
        new("", "v1", "ConfigMap", "configmaps", true, ShortNames: ["cm"]),
        new("", "v1", "Secret", "secrets", true),
        new("", "v1", "Event", "events", true, ShortNames: ["ev"]),
        new("", "v1", "ServiceAccount", "serviceaccounts", true, ShortNames: ["sa"]),
        new("apps", "v1", "Deployment", "deployments", true, HasStatus: true, HasScale: true, ShortNames: ["deploy"]),
        new("apps", "v1", "ReplicaSet", "replicasets", true, HasStatus: true, HasScale: true, ShortNames: ["rs"]),
        new("apps", "v1", "StatefulSet", "statefulsets", true, HasStatus: true, HasScale: true, ShortNames: ["sts"]),
        new("apps", "v1", "DaemonSet", "daemonsets", true, HasStatus: true, ShortNames: ["ds"]),
        new("batch", "v1", "Job", "jobs", true, HasStatus: true),
        new("networking.k8s.io", "v1", "Ingress", "ingresses", true, HasStatus: true, ShortNames: ["ing"]),
        new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, ShortNames: ["netpol"]),
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, HasStatus: true, ShortNames: ["pdb"]),
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", true),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true),
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, HasStatus: true, ShortNames: ["crd"]),
    ];

    /// <summary>Every served resource, in discovery order.</summary>
    public IReadOnlyList<ResourceType> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _types];
            }
        }
    }

    /// <summary>The resource served at <c>group/version/plural</c>, if any.</summary>
    public ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    /// <summary>Serves a custom resource (from a CustomResourceDefinition); a type already served is left as it is.</summary>
    public void Add(ResourceType type)
    {
        lock (_lock)
        {
            if (!_types.Any(t => t.Group == type.Group && t.Version == type.Version && t.Plural == type.Plural))
            {
                _types.Add(type);
            }
        }
    }
}
