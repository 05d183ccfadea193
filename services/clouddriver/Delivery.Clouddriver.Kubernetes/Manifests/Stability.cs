using System.Text.Json.Nodes;

namespace Delivery.Clouddriver.Kubernetes.Manifests;

/// <summary>Whether a live object is stable, failed, or why it is not yet stable.</summary>
/// <param name="Paused">A Deployment whose rollout is paused (not stable, not failed).</param>
public sealed record ManifestStatus(bool Stable, bool Failed, string? Reason, bool Paused = false)
{
    public static readonly ManifestStatus Ok = new(true, false, null);

    public static ManifestStatus Waiting(string reason) => new(false, false, reason);

    public static ManifestStatus Failure(string reason) => new(false, true, reason);
}

/// <summary>
/// Stability per kind from status, as Clouddriver's kind handlers judge it (KubernetesDeploymentHandler and friends):
/// Deployment, ReplicaSet, StatefulSet, DaemonSet, Job (KubernetesJobHandler) and Pod; every other kind (Service, ConfigMap ...) is stable once applied.
/// </summary>
public static class Stability
{
    public static ManifestStatus Of(JsonObject live)
    {
        var spec = live["spec"];
        var status = live["status"];
        var generation = Long(live["metadata"]?["generation"]);
        var observed = Long(status?["observedGeneration"]);
        switch (live["kind"]?.GetValue<string>())
        {
            case "Deployment":
            {
                if (spec?["paused"]?.GetValue<bool>() == true)
                {
                    return new ManifestStatus(false, false, "Deployment is paused", Paused: true);
                }
                if (observed < generation)
                {
                    return ManifestStatus.Waiting(OldGeneration);
                }
                var progressing = Condition(status, "Progressing");
                if (progressing?["reason"]?.GetValue<string>() == "ProgressDeadlineExceeded")
                {
                    return ManifestStatus.Failure($"Deployment exceeded its progress deadline: {progressing["message"]?.GetValue<string>()}");
                }
                var desired = Long(spec?["replicas"], 1);
                if (Long(status?["updatedReplicas"]) < desired)
                {
                    return ManifestStatus.Waiting($"Waiting for all replicas to be updated ({Long(status?["updatedReplicas"])} of {desired})");
                }
                if (Long(status?["replicas"]) > Long(status?["updatedReplicas"]))
                {
                    return ManifestStatus.Waiting($"Waiting for old replicas to finish termination ({Long(status?["replicas"]) - Long(status?["updatedReplicas"])} left)");
                }
                if (Long(status?["availableReplicas"]) < desired)
                {
                    return ManifestStatus.Waiting($"Waiting for all replicas to be available ({Long(status?["availableReplicas"])} of {desired})");
                }
                return Long(status?["readyReplicas"]) < desired
                    ? ManifestStatus.Waiting($"Waiting for all replicas to be ready ({Long(status?["readyReplicas"])} of {desired})")
                    : ManifestStatus.Ok;
            }
            case "ReplicaSet":
            {
                if (observed < generation)
                {
                    return ManifestStatus.Waiting(OldGeneration);
                }
                var desired = Long(spec?["replicas"], 1);
                if (Long(status?["fullyLabeledReplicas"]) < desired)
                {
                    return ManifestStatus.Waiting($"Waiting for all replicas to be fully-labeled ({Long(status?["fullyLabeledReplicas"])} of {desired})");
                }
                if (Long(status?["availableReplicas"]) < desired)
                {
                    return ManifestStatus.Waiting($"Waiting for all replicas to be available ({Long(status?["availableReplicas"])} of {desired})");
                }
                return Long(status?["readyReplicas"]) < desired
                    ? ManifestStatus.Waiting($"Waiting for all replicas to be ready ({Long(status?["readyReplicas"])} of {desired})")
                    : ManifestStatus.Ok;
            }
            case "StatefulSet":
                return StatefulSet(spec, status, observed, generation);
            case "DaemonSet":
                return DaemonSet(spec, status, observed, generation);
            case "Job":
            {
                // KubernetesJobHandler: done once spec.completions pods succeeded; a Failed condition fails it.
                if (Long(status?["succeeded"]) >= Long(spec?["completions"], 1))
                {
                    return ManifestStatus.Ok;
                }
                return Condition(status, "Failed") is { } failed && failed["status"]?.GetValue<string>() == "True"
                    ? ManifestStatus.Failure($"Job failed: {failed["message"]?.GetValue<string>() ?? failed["reason"]?.GetValue<string>()}")
                    : ManifestStatus.Waiting("Waiting for jobs to finish");
            }
            case "Pod":
            {
                var phase = status?["phase"]?.GetValue<string>();
                if (phase == "Failed")
                {
                    return ManifestStatus.Failure($"Pod failed: {status?["message"]?.GetValue<string>() ?? status?["reason"]?.GetValue<string>()}");
                }
                return phase == "Succeeded" || (phase == "Running" && Condition(status, "Ready")?["status"]?.GetValue<string>() == "True")
                    ? ManifestStatus.Ok
                    : ManifestStatus.Waiting($"Waiting for the pod to be ready (phase {phase ?? "Pending"})");
            }
            default:
                return ManifestStatus.Ok;
        }
    }

    /// <summary>KubernetesStatefulSetHandler's order: OnDelete is stable; generation; replicas; ready; a rolling update's partition; current replicas; revisions.</summary>
    private static ManifestStatus StatefulSet(JsonNode? spec, JsonNode? status, long observed, long generation)
    {
        var strategy = spec?["updateStrategy"];
        if (string.Equals(strategy?["type"]?.GetValue<string>(), "OnDelete", StringComparison.OrdinalIgnoreCase))
        {
            return ManifestStatus.Ok;
        }
        if (status is null)
        {
            return ManifestStatus.Waiting("No status reported yet");
        }
        if (observed != generation || status["observedGeneration"] is null)
        {
            return ManifestStatus.Waiting(OldGeneration);
        }
        var desired = Long(spec?["replicas"]);
        if (desired > Long(status["replicas"]))
        {
            return ManifestStatus.Waiting("Waiting for at least the desired replica count to be met");
        }
        if (desired > Long(status["readyReplicas"]))
        {
            return ManifestStatus.Waiting("Waiting for all updated replicas to be ready");
        }
        if (string.Equals(strategy?["type"]?.GetValue<string>(), "RollingUpdate", StringComparison.OrdinalIgnoreCase)
            && status["updatedReplicas"] is { } updated && strategy?["rollingUpdate"] is JsonObject rolling)
        {
            return rolling["partition"] is { } partition && status["replicas"] is { } replicas && Long(updated) < Long(replicas) - Long(partition)
                ? ManifestStatus.Waiting("Waiting for partitioned roll out to finish")
                : ManifestStatus.Ok;
        }
        if (desired > Long(status["currentReplicas"]))
        {
            return ManifestStatus.Waiting("Waiting for all updated replicas to be scheduled");
        }
        return status["currentRevision"]?.GetValue<string>() != status["updateRevision"]?.GetValue<string>()
            ? ManifestStatus.Waiting("Waiting for the updated revision to match the current revision")
            : ManifestStatus.Ok;
    }

    /// <summary>KubernetesDaemonSetHandler's order: generation; only RollingUpdate is judged; scheduled, updated, available, ready against desiredNumberScheduled.</summary>
    private static ManifestStatus DaemonSet(JsonNode? spec, JsonNode? status, long observed, long generation)
    {
        if (status is null)
        {
            return ManifestStatus.Waiting("No status reported yet");
        }
        if (observed != generation || status["observedGeneration"] is null)
        {
            return ManifestStatus.Waiting(OldGeneration);
        }
        if (!string.Equals(spec?["updateStrategy"]?["type"]?.GetValue<string>() ?? "RollingUpdate", "RollingUpdate", StringComparison.OrdinalIgnoreCase))
        {
            return ManifestStatus.Ok;
        }
        var desired = Long(status["desiredNumberScheduled"]);
        return desired > Long(status["currentNumberScheduled"]) ? ManifestStatus.Waiting("Waiting for all replicas to be scheduled")
            : desired > Long(status["updatedNumberScheduled"]) ? ManifestStatus.Waiting("Waiting for all updated replicas to be scheduled")
            : desired > Long(status["numberAvailable"]) ? ManifestStatus.Waiting("Waiting for all replicas to be available")
            : desired > Long(status["numberReady"]) ? ManifestStatus.Waiting("Waiting for all replicas to be ready")
            : ManifestStatus.Ok;
    }

    private const string OldGeneration = "Waiting for status generation to match updated object generation";

    private static JsonObject? Condition(JsonNode? status, string type) =>
        status?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    private static long Long(JsonNode? node, long fallback = 0) =>
        node is null ? fallback : long.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}
