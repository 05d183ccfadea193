using System.Text.Json.Nodes;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Kubernetes.Contracts;

/// <summary>
/// Command (Spinnaker's <c>deployManifest</c>): server-side apply the manifests in <see cref="Account"/> and wait until
/// they are stable. Result: <c>manifestNamesByNamespace</c>, <c>deployedManifests</c> (<c>{kind name}</c> per namespace), <c>manifests</c>.
/// </summary>
/// <param name="Manifests">Objects, or strings of YAML/JSON (one or several documents each).</param>
/// <param name="NamespaceOverride">Namespace for every namespaced manifest, over their own.</param>
public sealed record DeployManifest(
    string OperationId,
    string Account,
    JsonArray Manifests,
    ManifestMoniker? Moniker = null,
    string? NamespaceOverride = null,
    TrafficManagement? TrafficManagement = null,
    string? ExecutionId = null,
    string? StageId = null,
    string? TaskId = null) : IClouddriverOperation;

/// <summary>Spinnaker's moniker of a manifest deploy; <see cref="Cluster"/> defaults to <c>{kind} {name}</c>.</summary>
public sealed record ManifestMoniker(string? App = null, string? Cluster = null, string? Stack = null, string? Detail = null);

/// <summary>Traffic management of a deploy of ReplicaSets behind Services.</summary>
public sealed record TrafficManagement(bool Enabled, TrafficOptions? Options = null);

/// <summary>
/// <see cref="Services"/> are <c>service name</c> (or just names) whose selector labels the new ReplicaSet's pods get when
/// <see cref="EnableTraffic"/>; <see cref="Strategy"/> <c>redblack</c> then disables the cluster's older versions,
/// <c>highlander</c> deletes them, <c>none</c> leaves them.
/// </summary>
public sealed record TrafficOptions(bool EnableTraffic = true, IReadOnlyList<string>? Services = null, string Strategy = "none");
