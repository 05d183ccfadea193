using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Delivery.KubernetesTestServer.Json;
using Delivery.KubernetesTestServer.Storage;

namespace Delivery.KubernetesTestServer.Controllers;

/// <summary>
/// The Deployment controller, simplified: one ReplicaSet per pod template (named <c>{deployment}-{pod-template-hash}</c>,
/// revision in <c>deployment.kubernetes.io/revision</c>, a template equal to an old ReplicaSet's reuses it with a new
/// revision, as <c>rollout undo</c> relies on); RollingUpdate within <c>maxSurge</c>/<c>maxUnavailable</c>, Recreate;
/// <c>paused</c> stops the rollout; status with observedGeneration, replica counts and the Available and Progressing
/// conditions (ProgressDeadlineExceeded once no progress was made for <c>progressDeadlineSeconds</c>); old ReplicaSets
/// beyond <c>revisionHistoryLimit</c> are deleted.
/// </summary>
internal sealed class DeploymentController(ObjectStore store, ResourceTypes types)
{
    private const string Revision = "deployment.kubernetes.io/revision";
    private readonly ConcurrentDictionary<string, (string State, DateTimeOffset At)> _progress = new();

    private ResourceType Deployments => types.Find("apps", "v1", "deployments")!;

    private ResourceType ReplicaSets => types.Find("apps", "v1", "replicasets")!;

    private ResourceType Pods => types.Find("", "v1", "pods")!;

    public void Reconcile()
    {
        foreach (var deployment in store.List(Deployments, null).Items)
        {
            Reconcile(deployment);
        }
    }

    private void Reconcile(JsonObject deployment)
    {
        var ns = deployment["metadata"]!["namespace"]!.GetValue<string>();
        var name = deployment["metadata"]!["name"]!.GetValue<string>();
        var uid = deployment["metadata"]!["uid"]!.GetValue<string>();
        var spec = deployment["spec"] as JsonObject ?? [];
        var desired = spec["replicas"]?.AsInt() ?? 1;
        var paused = spec["paused"]?.GetValue<bool>() == true;
        var template = spec["template"];
        var owned = store.List(ReplicaSets, ns, rs => Owners.ControlledBy(rs, uid)).Items;
        var maxRevision = owned.Select(RevisionOf).DefaultIfEmpty(0).Max();
        var canonical = Owners.Canonical(template);
        var current = owned.FirstOrDefault(rs => Owners.Canonical(rs["spec"]?["template"]) == canonical);
        if (!paused)
        {
            if (current is null)
            {
                current = CreateReplicaSet(deployment, ns, name, maxRevision + 1);
            }
            else if (RevisionOf(current) < maxRevision)
            {
                current = SetReplicas(ns, current, current["spec"]!["replicas"]!.AsInt(), maxRevision + 1);
            }
        }
        var old = owned.Where(rs => rs["metadata"]!["uid"]!.GetValue<string>() != current?["metadata"]!["uid"]!.GetValue<string>())
            .OrderBy(RevisionOf).ToList();
        var pods = store.List(Pods, ns).Items;
        int PodsOf(JsonObject rs, bool readyOnly) => pods.Count(p => Owners.ControlledBy(p, rs["metadata"]!["uid"]!.GetValue<string>()) && (!readyOnly || SimulatedControllers.Ready(p)));
        if (!paused && current is not null)
        {
            Roll(spec, desired, ns, current, old, PodsOf);
        }
        CleanUp(ns, old, spec["revisionHistoryLimit"]?.AsInt() ?? 10, PodsOf);
        UpdateStatus(deployment, ns, name, uid, desired, paused, current, owned, PodsOf);
    }

    private void Roll(JsonObject spec, int desired, string ns, JsonObject current, List<JsonObject> old, Func<JsonObject, bool, int> podsOf)
    {
        var newReplicas = current["spec"]!["replicas"]!.AsInt();
        var oldReplicas = old.Sum(rs => rs["spec"]!["replicas"]!.AsInt());
        if (spec["strategy"]?["type"]?.GetValue<string>() == "Recreate")
        {
            if (oldReplicas > 0)
            {
                old.ForEach(rs => SetReplicas(ns, rs, 0));
            }
            else if (old.All(rs => podsOf(rs, false) == 0) && newReplicas != desired)
            {
                SetReplicas(ns, current, desired);
            }
            return;
        }
        var surge = Resolve(spec["strategy"]?["rollingUpdate"]?["maxSurge"], desired, roundUp: true);
        var unavailable = Resolve(spec["strategy"]?["rollingUpdate"]?["maxUnavailable"], desired, roundUp: false);
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1;
        }
        var target = Math.Min(desired, Math.Max(newReplicas, desired + surge - oldReplicas));
        if (target != newReplicas)
        {
            SetReplicas(ns, current, target);
        }
        var available = podsOf(current, true) + old.Sum(rs => podsOf(rs, true));
        var removable = podsOf(current, true) >= desired ? oldReplicas : Math.Max(0, available - (desired - unavailable));
        // Old pods that are not ready count for nothing: they go first and always.
        foreach (var rs in old)
        {
            var replicas = rs["spec"]!["replicas"]!.AsInt();
            var notReady = Math.Max(0, replicas - podsOf(rs, true));
            var remove = Math.Min(replicas, notReady + Math.Min(removable, replicas - notReady));
            removable -= remove - notReady;
            if (remove > 0)
            {
                SetReplicas(ns, rs, replicas - remove);
            }
        }
    }

    private void UpdateStatus(JsonObject deployment, string ns, string name, string uid, int desired, bool paused, JsonObject? current, List<JsonObject> owned, Func<JsonObject, bool, int> podsOf)
    {
        var replicas = owned.Sum(rs => podsOf(rs, false));
        var updated = current is null ? 0 : podsOf(current, false);
        var ready = owned.Sum(rs => podsOf(rs, true));
        var spec = deployment["spec"]!;
        var unavailable = Resolve(spec["strategy"]?["rollingUpdate"]?["maxUnavailable"], desired, roundUp: false);
        var now = store.Time.GetUtcNow();
        var complete = current is not null && updated == desired && replicas == desired && ready == desired;
        var state = $"{current?["metadata"]!["name"]}:{replicas}:{updated}:{ready}:{paused}";
        var (lastState, since) = _progress.GetValueOrDefault(uid, ("", now));
        if (lastState != state)
        {
            since = now;
            _progress[uid] = (state, now);
        }
        var rsName = current?["metadata"]!["name"]?.GetValue<string>() ?? name;
        var deadline = TimeSpan.FromSeconds(spec["progressDeadlineSeconds"]?.AsInt() ?? 600);
        var (progressStatus, reason, message) =
            paused ? ("Unknown", "DeploymentPaused", "Deployment is paused")
            : complete ? ("True", "NewReplicaSetAvailable", $"ReplicaSet \"{rsName}\" has successfully progressed.")
            : now - since > deadline ? ("False", "ProgressDeadlineExceeded", $"ReplicaSet \"{rsName}\" has timed out progressing.")
            : ("True", "ReplicaSetUpdated", $"ReplicaSet \"{rsName}\" is progressing.");
        store.Write(Deployments, ns, name, live =>
        {
            if (live?["metadata"]?["uid"]?.GetValue<string>() != uid)
            {
                return null;
            }
            var previous = live["status"]?["conditions"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
            JsonObject Condition(string type, string status, string why, string text)
            {
                var before = previous.FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
                var changed = before?["status"]?.GetValue<string>() != status;
                var time = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
                return new JsonObject
                {
                    ["type"] = type, ["status"] = status, ["reason"] = why, ["message"] = text,
                    ["lastUpdateTime"] = before?["reason"]?.GetValue<string>() == why ? before["lastUpdateTime"]?.DeepClone() : time,
                    ["lastTransitionTime"] = changed ? time : before!["lastTransitionTime"]?.DeepClone(),
                };
            }
            var availableOk = ready >= desired - unavailable;
            live["status"] = new JsonObject
            {
                ["observedGeneration"] = deployment["metadata"]!["generation"]!.DeepClone(),
                ["replicas"] = replicas, ["updatedReplicas"] = updated, ["readyReplicas"] = ready, ["availableReplicas"] = ready,
                ["unavailableReplicas"] = Math.Max(0, desired - ready),
                ["conditions"] = new JsonArray(
                    Condition("Available", availableOk ? "True" : "False", availableOk ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                        availableOk ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
                    Condition("Progressing", progressStatus, reason, message)),
            };
            if (current is not null)
            {
                var annotations = live["metadata"]!["annotations"] as JsonObject ?? [];
                annotations[Revision] = RevisionOf(current).ToString();
                live["metadata"]!["annotations"] = annotations;
            }
            return live;
        });
    }

    private JsonObject CreateReplicaSet(JsonObject deployment, string ns, string name, int revision)
    {
        var template = (JsonObject)(deployment["spec"]!["template"]?.DeepClone() ?? new JsonObject());
        var hash = Owners.Hash(template);
        var templateMetadata = template["metadata"] as JsonObject ?? [];
        var labels = templateMetadata["labels"] as JsonObject ?? [];
        labels["pod-template-hash"] = hash;
        templateMetadata["labels"] = labels;
        template["metadata"] = templateMetadata;
        var selector = (JsonObject)(deployment["spec"]!["selector"]?.DeepClone() ?? new JsonObject());
        var matchLabels = selector["matchLabels"] as JsonObject ?? [];
        matchLabels["pod-template-hash"] = hash;
        selector["matchLabels"] = matchLabels;
        var rs = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["labels"] = labels.DeepClone(),
                ["annotations"] = new JsonObject { [Revision] = revision.ToString() },
                ["ownerReferences"] = new JsonArray(Owners.Reference(deployment)),
            },
            ["spec"] = new JsonObject { ["replicas"] = 0, ["selector"] = selector, ["template"] = template },
        };
        return store.Write(ReplicaSets, ns, $"{name}-{hash}", existing => existing is null ? rs : null)!;
    }

    private JsonObject SetReplicas(string ns, JsonObject rs, int replicas, int? revision = null) =>
        store.Write(ReplicaSets, ns, rs["metadata"]!["name"]!.GetValue<string>(), live =>
        {
            if (live?["metadata"]?["uid"]?.GetValue<string>() != rs["metadata"]!["uid"]!.GetValue<string>())
            {
                return null;
            }
            live["spec"]!["replicas"] = replicas;
            if (revision is { } r)
            {
                live["metadata"]!["annotations"] ??= new JsonObject();
                live["metadata"]!["annotations"]![Revision] = r.ToString();
            }
            return live;
        }) ?? rs;

    private void CleanUp(string ns, List<JsonObject> old, int limit, Func<JsonObject, bool, int> podsOf)
    {
        var idle = old.Where(rs => rs["spec"]!["replicas"]!.AsInt() == 0 && podsOf(rs, false) == 0).ToList();
        foreach (var rs in idle.Take(Math.Max(0, idle.Count - limit)))
        {
            store.Delete(ReplicaSets, ns, rs["metadata"]!["name"]!.GetValue<string>());
        }
    }

    private static int RevisionOf(JsonObject rs) =>
        int.TryParse(rs["metadata"]?["annotations"]?[Revision]?.GetValue<string>(), out var r) ? r : 0;

    /// <summary>An int-or-percent of <paramref name="total"/>, rounded as the Deployment controller does.</summary>
    private static int Resolve(JsonNode? value, int total, bool roundUp)
    {
        if (value is null)
        {
            return roundUp ? (int)Math.Ceiling(total * 0.25) : (int)Math.Floor(total * 0.25);
        }
        if (value.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return value.AsInt();
        }
        var percent = double.Parse(value.GetValue<string>().TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture) / 100 * total;
        return roundUp ? (int)Math.Ceiling(percent) : (int)Math.Floor(percent);
    }
}
