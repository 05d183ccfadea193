using Delivery.Clouddriver.Operations;

namespace Delivery.Clouddriver.Kubernetes.Manifests;

/// <summary>Spinnaker's manifest names, <c>{kind} {name}</c> (<c>deployment web</c>, <c>replicaSet web-v001</c>).</summary>
public static class ManifestNames
{
    private static readonly Dictionary<string, (string ApiVersion, string Kind)> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["deployment"] = ("apps/v1", "Deployment"), ["replicaSet"] = ("apps/v1", "ReplicaSet"), ["statefulSet"] = ("apps/v1", "StatefulSet"),
        ["daemonSet"] = ("apps/v1", "DaemonSet"), ["service"] = ("v1", "Service"), ["configMap"] = ("v1", "ConfigMap"), ["secret"] = ("v1", "Secret"),
        ["pod"] = ("v1", "Pod"), ["job"] = ("batch/v1", "Job"), ["ingress"] = ("networking.k8s.io/v1", "Ingress"), ["networkPolicy"] = ("networking.k8s.io/v1", "NetworkPolicy"),
    };

    /// <summary>The API version and kind of a kind as Spinnaker names it (<c>replicaSet</c>); an invalid-input failure for another.</summary>
    public static (string ApiVersion, string Kind) Kind(string kindName) => Kinds.TryGetValue(kindName.Trim(), out var known)
        ? known
        : throw OperationException.Invalid($"Unknown kind '{kindName}'; known: {string.Join(", ", Kinds.Keys)}.");

    /// <summary>The API version, kind and object name; an invalid-input failure for another shape or kind.</summary>
    public static (string ApiVersion, string Kind, string Name) Parse(string manifestName)
    {
        var parts = manifestName.Split(' ', 2, StringSplitOptions.TrimEntries);
        return parts.Length == 2 && parts[1].Length > 0 && Kinds.TryGetValue(parts[0], out var known)
            ? (known.ApiVersion, known.Kind, parts[1])
            : throw OperationException.Invalid($"manifestName '{manifestName}' must be '{{kind}} {{name}}' with a kind of: {string.Join(", ", Kinds.Keys)}.");
    }
}
