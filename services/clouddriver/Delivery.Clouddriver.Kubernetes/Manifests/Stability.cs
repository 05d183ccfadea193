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
/// Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and Pod; every other kind (Service, ConfigMap ...) is stable once applied.
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
                    return ManifestStatus.Waiting("Waiting for status generation to match updated object generation");
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
                    return ManifestStatus.Waiting("Waiting for status generation to match updated object generation");
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
            {
                if (observed < generation)
                {
                    return ManifestStatus.Waiting("Waiting for status generation to match updated object generation");
                }
                var desired = Long(spec?["replicas"], 1);
                if (status?["updateRevision"]?.GetValue<string>() is { } update && status["currentRevision"]?.GetValue<string>() != update)
                {
                    return ManifestStatus.Waiting("Waiting for the rolling update to reach every pod");
                }
                return Long(status?["readyReplicas"]) < desired
                    ? ManifestStatus.Waiting($"Waiting for all replicas to be ready ({Long(status?["readyReplicas"])} of {desired})")
                    : ManifestStatus.Ok;
            }
            case "DaemonSet":
            {
                if (observed < generation)
                {
                    return ManifestStatus.Waiting("Waiting for status generation to match updated object generation");
                }
                var desired = Long(status?["desiredNumberScheduled"]);
                if (Long(status?["updatedNumberScheduled"]) < desired)
                {
                    return ManifestStatus.Waiting($"Waiting for all updated pods to be scheduled ({Long(status?["updatedNumberScheduled"])} of {desired})");
                }
                return Long(status?["numberAvailable"]) < desired
                    ? ManifestStatus.Waiting($"Waiting for all pods to be available ({Long(status?["numberAvailable"])} of {desired})")
                    : ManifestStatus.Ok;
            }
            case "Job":
            {
                if (Condition(status, "Failed") is { } failed && failed["status"]?.GetValue<string>() == "True")
                {
                    return ManifestStatus.Failure($"Job failed: {failed["message"]?.GetValue<string>() ?? failed["reason"]?.GetValue<string>()}");
                }
                return Condition(status, "Complete")?["status"]?.GetValue<string>() == "True" ? ManifestStatus.Ok : ManifestStatus.Waiting("Waiting for jobs to finish");
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

    private static JsonObject? Condition(JsonNode? status, string type) =>
        status?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    private static long Long(JsonNode? node, long fallback = 0) =>
        node is null ? fallback : long.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}
