using System.Text.Json.Nodes;
using Delivery.KubernetesTestServer.Json;
using Delivery.KubernetesTestServer.Storage;

namespace Delivery.KubernetesTestServer.Controllers;

/// <summary>
/// The StatefulSet, DaemonSet and Job controllers, simplified from the API reference's status fields:
/// <list type="bullet">
/// <item>StatefulSet (OrderedReady): pods <c>{name}-{ordinal}</c> made one at a time once the lower ordinals are Ready, removed
/// from the highest; a RollingUpdate deletes the highest pod at or above <c>partition</c> that is not of the update revision
/// once all are Ready (OnDelete never does). Status: observedGeneration, replicas, readyReplicas, availableReplicas,
/// currentReplicas, updatedReplicas, currentRevision, updateRevision (<c>{name}-{template hash}</c>, also each pod's
/// <c>controller-revision-hash</c> label).</item>
/// <item>DaemonSet: one pod per simulated node (<c>spec.nodeName</c>); a RollingUpdate replaces old pods while fewer than
/// <c>maxUnavailable</c> are not Ready. Status: desiredNumberScheduled, currentNumberScheduled, updatedNumberScheduled,
/// numberReady, numberAvailable, numberUnavailable, numberMisscheduled, observedGeneration.</item>
/// <item>Job: up to <c>parallelism</c> pods at once until <c>completions</c> succeeded (condition Complete) or more than
/// <c>backoffLimit</c> failed (condition Failed, BackoffLimitExceeded). Status: active, succeeded, failed, ready, startTime,
/// completionTime, conditions.</item>
/// </list>
/// </summary>
internal sealed class WorkloadControllers(ObjectStore store, ResourceTypes types, KubernetesTestServerOptions options)
{
    private const string RevisionLabel = "controller-revision-hash";

    private ResourceType Pods => types.Find("", "v1", "pods")!;

    public void Reconcile()
    {
        foreach (var sts in store.List(types.Find("apps", "v1", "statefulsets")!, null).Items)
        {
            StatefulSet(sts);
        }
        foreach (var ds in store.List(types.Find("apps", "v1", "daemonsets")!, null).Items)
        {
            DaemonSet(ds);
        }
        foreach (var job in store.List(types.Find("batch", "v1", "jobs")!, null).Items)
        {
            Job(job);
        }
    }

    private void StatefulSet(JsonObject sts)
    {
        var (ns, name, uid) = Identity(sts);
        var spec = sts["spec"]!;
        var desired = spec["replicas"]?.AsInt() ?? 1;
        var update = $"{name}-{Owners.Hash(spec["template"])}";
        var pods = Owned(ns, uid).GroupBy(p => Ordinal(name, p)).ToDictionary(g => g.Key, g => g.First());
        var allReady = pods.Values.All(SimulatedControllers.Ready);
        if (pods.Keys.Where(o => o >= desired).DefaultIfEmpty(-1).Max() is var extra and >= 0)
        {
            Delete(ns, pods[extra]);
        }
        else if (Enumerable.Range(0, desired).FirstOrDefault(o => !pods.ContainsKey(o), -1) is var missing and >= 0)
        {
            if (Enumerable.Range(0, missing).All(o => pods.TryGetValue(o, out var lower) && SimulatedControllers.Ready(lower)))
            {
                var pod = Owners.Pod(sts, spec["template"], new Dictionary<string, string> { [RevisionLabel] = update, ["statefulset.kubernetes.io/pod-name"] = $"{name}-{missing}" },
                    new JsonObject { ["hostname"] = $"{name}-{missing}" });
                store.Write(Pods, ns, $"{name}-{missing}", current => current is null ? pod : null);
            }
        }
        else if (allReady && spec["updateStrategy"]?["type"]?.GetValue<string>() != "OnDelete")
        {
            var partition = spec["updateStrategy"]?["rollingUpdate"]?["partition"]?.AsInt() ?? 0;
            if (pods.Where(p => p.Key >= partition && Revision(p.Value) != update).Select(p => p.Key).DefaultIfEmpty(-1).Max() is var stale and >= 0)
            {
                Delete(ns, pods[stale]);
            }
        }
        var now = Owned(ns, uid);
        var ready = now.Count(SimulatedControllers.Ready);
        var updated = now.Count(p => Revision(p) == update);
        WriteStatus(types.Find("apps", "v1", "statefulsets")!, sts, status =>
        {
            var current = status?["currentRevision"]?.GetValue<string>() ?? update;
            if (updated == desired && ready == desired && now.Count == desired)
            {
                current = update;
            }
            return new JsonObject
            {
                ["replicas"] = now.Count, ["readyReplicas"] = ready, ["availableReplicas"] = ready,
                ["currentReplicas"] = now.Count(p => Revision(p) == current), ["updatedReplicas"] = updated,
                ["currentRevision"] = current, ["updateRevision"] = update, ["collisionCount"] = 0,
            };
        });
    }

    private void DaemonSet(JsonObject ds)
    {
        var (ns, name, uid) = Identity(ds);
        var spec = ds["spec"]!;
        var hash = Owners.Hash(spec["template"]);
        var nodes = Enumerable.Range(0, options.Nodes).Select(i => $"node-{i}").ToList();
        var pods = Owned(ns, uid);
        foreach (var node in nodes.Where(n => !pods.Any(p => p["spec"]?["nodeName"]?.GetValue<string>() == n)))
        {
            var pod = Owners.Pod(ds, spec["template"], new Dictionary<string, string> { [RevisionLabel] = hash }, new JsonObject { ["nodeName"] = node });
            store.Write(Pods, ns, $"{name}-{Guid.NewGuid().ToString("N")[..5]}", current => current is null ? pod : null);
        }
        if (spec["updateStrategy"]?["type"]?.GetValue<string>() != "OnDelete")
        {
            var maxUnavailable = spec["updateStrategy"]?["rollingUpdate"]?["maxUnavailable"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number ? v.AsInt() : 1;
            var unavailable = pods.Count(p => !SimulatedControllers.Ready(p));
            var old = pods.Where(p => Revision(p) != hash).OrderBy(SimulatedControllers.Ready).FirstOrDefault();
            if (old is not null && (unavailable < maxUnavailable || !SimulatedControllers.Ready(old)))
            {
                Delete(ns, old);
            }
        }
        var now = Owned(ns, uid);
        var ready = now.Count(SimulatedControllers.Ready);
        WriteStatus(types.Find("apps", "v1", "daemonsets")!, ds, _ => new JsonObject
        {
            ["desiredNumberScheduled"] = nodes.Count, ["currentNumberScheduled"] = now.Count, ["updatedNumberScheduled"] = now.Count(p => Revision(p) == hash),
            ["numberReady"] = ready, ["numberAvailable"] = ready, ["numberUnavailable"] = Math.Max(0, nodes.Count - ready), ["numberMisscheduled"] = 0,
        });
    }

    private void Job(JsonObject job)
    {
        var (ns, name, uid) = Identity(job);
        var spec = job["spec"]!;
        var completions = spec["completions"]?.AsInt() ?? 1;
        var parallelism = spec["parallelism"]?.AsInt() ?? 1;
        var backoffLimit = spec["backoffLimit"]?.AsInt() ?? 6;
        var finished = job["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.GetValue<string>() is "Complete" or "Failed" && c["status"]?.GetValue<string>() == "True") == true;
        var pods = Owned(ns, uid);
        int Count(string phase) => pods.Count(p => p["status"]?["phase"]?.GetValue<string>() == phase);
        var (succeeded, failed) = (Count("Succeeded"), Count("Failed"));
        var active = pods.Count - succeeded - failed;
        if (!finished && succeeded < completions && failed <= backoffLimit)
        {
            for (var i = active; i < Math.Min(parallelism, completions - succeeded); i++)
            {
                var pod = Owners.Pod(job, spec["template"], new Dictionary<string, string> { ["job-name"] = name, ["batch.kubernetes.io/job-name"] = name });
                store.Write(Pods, ns, $"{name}-{Guid.NewGuid().ToString("N")[..5]}", current => current is null ? pod : null);
                active++;
            }
        }
        var time = store.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
        WriteStatus(types.Find("batch", "v1", "jobs")!, job, status =>
        {
            var next = new JsonObject
            {
                ["active"] = active, ["succeeded"] = succeeded, ["failed"] = failed, ["ready"] = pods.Count(SimulatedControllers.Ready),
                ["startTime"] = status?["startTime"]?.DeepClone() ?? time,
                ["conditions"] = status?["conditions"]?.DeepClone() ?? new JsonArray(),
            };
            if (status?["completionTime"] is { } done)
            {
                next["completionTime"] = done.DeepClone();
            }
            if (!finished && succeeded >= completions)
            {
                next["completionTime"] = time;
                next["conditions"]!.AsArray().Add(new JsonObject { ["type"] = "Complete", ["status"] = "True", ["lastTransitionTime"] = time });
            }
            else if (!finished && failed > backoffLimit)
            {
                next["conditions"]!.AsArray().Add(new JsonObject
                {
                    ["type"] = "Failed", ["status"] = "True", ["reason"] = "BackoffLimitExceeded",
                    ["message"] = "Job has reached the specified backoff limit", ["lastTransitionTime"] = time,
                });
            }
            return next;
        });
    }

    private static (string Namespace, string Name, string Uid) Identity(JsonObject obj) =>
        (obj["metadata"]!["namespace"]!.GetValue<string>(), obj["metadata"]!["name"]!.GetValue<string>(), obj["metadata"]!["uid"]!.GetValue<string>());

    private List<JsonObject> Owned(string ns, string uid) => store.List(Pods, ns, p => Owners.ControlledBy(p, uid)).Items;

    private void Delete(string ns, JsonObject pod) => store.Delete(Pods, ns, pod["metadata"]!["name"]!.GetValue<string>());

    private static string? Revision(JsonObject pod) => pod["metadata"]?["labels"]?[RevisionLabel]?.GetValue<string>();

    private static int Ordinal(string name, JsonObject pod) =>
        int.TryParse(pod["metadata"]!["name"]!.GetValue<string>()[(name.Length + 1)..], out var ordinal) ? ordinal : -1;

    /// <summary>
    /// Writes the status of the same object (by uid); observedGeneration is the generation the controller read, so a spec
    /// changed meanwhile is not reported as observed.
    /// </summary>
    private void WriteStatus(ResourceType type, JsonObject obj, Func<JsonNode?, JsonObject> status)
    {
        var (ns, name, uid) = Identity(obj);
        store.Write(type, ns, name, live =>
        {
            if (live?["metadata"]?["uid"]?.GetValue<string>() != uid)
            {
                return null;
            }
            var next = status(live["status"]);
            next["observedGeneration"] = obj["metadata"]!["generation"]!.DeepClone();
            live["status"] = next;
            return live;
        });
    }
}
