using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Delivery.KubernetesTestServer.Json;
using Delivery.KubernetesTestServer.Storage;

namespace Delivery.KubernetesTestServer.Controllers;

/// <summary>
/// The cluster's behaviour, reconciled every <see cref="KubernetesTestServerOptions.ControllerInterval"/>: a kubelet
/// (pods run at once, are Ready after <see cref="KubernetesTestServerOptions.PodReadyDelay"/>, never when their image is
/// in <see cref="FailingImages"/>; a Job's pods succeed instead, or fail with such an image), the ReplicaSet and Deployment
/// controllers, the StatefulSet, DaemonSet and Job controllers (<see cref="WorkloadControllers"/>), and CustomResourceDefinitions serving
/// their resources.
/// </summary>
internal sealed class SimulatedControllers : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly ResourceTypes _types;
    private readonly KubernetesTestServerOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _started = new();
    private readonly DeploymentController _deployments;
    private readonly WorkloadControllers _workloads;
    private Task _loop = Task.CompletedTask;

    public SimulatedControllers(ObjectStore store, ResourceTypes types, KubernetesTestServerOptions options)
    {
        (_store, _types, _options) = (store, types, options);
        _deployments = new DeploymentController(store, types);
        _workloads = new WorkloadControllers(store, types, options);
        store.Changed += e =>
        {
            if (e.Type != "DELETED" && e.Resource.Kind == "CustomResourceDefinition")
            {
                Serve(e.Object);
            }
        };
    }

    /// <summary>Images whose pods never become Ready (keys; values unused).</summary>
    public ConcurrentDictionary<string, byte> FailingImages { get; } = new();

    /// <summary>The last reconcile failure, for tests to show.</summary>
    public Exception? LastError { get; private set; }

    public void Start() => _loop = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(_options.ControllerInterval);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            try
            {
                _deployments.Reconcile();
                ReconcileReplicaSets();
                _workloads.Reconcile();
                CollectOrphans();
                RunPods();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A client changed an object mid-reconcile (the next tick sees it), or a controller bug: keep the cluster running.
                LastError = e;
            }
        }
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        _stop.Dispose();
    }

    private ResourceType Type(string plural) => _types.All.First(t => t.Plural == plural && t.Group is "" or "apps");

    private void ReconcileReplicaSets()
    {
        var pods = Type("pods");
        foreach (var rs in _store.List(Type("replicasets"), null).Items)
        {
            var ns = rs["metadata"]!["namespace"]!.GetValue<string>();
            var uid = rs["metadata"]!["uid"]!.GetValue<string>();
            var owned = _store.List(pods, ns, p => Owners.ControlledBy(p, uid)).Items;
            var desired = rs["spec"]?["replicas"]?.AsInt() ?? 1;
            for (var i = owned.Count; i < desired; i++)
            {
                var name = $"{rs["metadata"]!["name"]}-{Guid.NewGuid().ToString("N")[..5]}";
                var pod = Owners.Pod(rs, rs["spec"]?["template"]);
                _store.Write(pods, ns, name, current => current is null ? pod : null);
            }
            foreach (var extra in owned.OrderBy(p => Ready(p) ? 1 : 0).ThenByDescending(p => p["metadata"]!["creationTimestamp"]!.GetValue<string>()).Take(Math.Max(0, owned.Count - desired)))
            {
                _store.Delete(pods, ns, extra["metadata"]!["name"]!.GetValue<string>());
            }
            var now = _store.List(pods, ns, p => Owners.ControlledBy(p, uid)).Items;
            var ready = now.Count(Ready);
            _store.Write(Type("replicasets"), ns, rs["metadata"]!["name"]!.GetValue<string>(), current =>
            {
                if (current?["metadata"]?["uid"]?.GetValue<string>() != uid)
                {
                    return null;
                }
                current["status"] = new JsonObject
                {
                    ["replicas"] = now.Count, ["fullyLabeledReplicas"] = now.Count, ["readyReplicas"] = ready, ["availableReplicas"] = ready,
                    ["observedGeneration"] = rs["metadata"]!["generation"]!.DeepClone(),
                };
                return current;
            });
        }
    }

    /// <summary>
    /// The garbage collector's sweep: pods and ReplicaSets whose controller is gone are deleted (a controller that read its
    /// owner just before the owner's delete may have made one after the delete had collected the others).
    /// </summary>
    private void CollectOrphans()
    {
        var dependents = new[] { Type("pods"), Type("replicasets") }
            .SelectMany(t => _store.List(t, null).Items.Select(o => (Type: t, Object: o))).ToList();
        var owners = _types.All.Where(t => t.Kind is "Deployment" or "ReplicaSet" or "StatefulSet" or "DaemonSet" or "Job")
            .SelectMany(t => _store.List(t, null).Items).Select(o => o["metadata"]!["uid"]!.GetValue<string>()).ToHashSet();
        foreach (var (type, obj) in dependents)
        {
            var controller = obj["metadata"]?["ownerReferences"]?.AsArray().FirstOrDefault(r => r?["controller"]?.GetValue<bool>() == true);
            if (controller?["uid"]?.GetValue<string>() is { } uid && !owners.Contains(uid))
            {
                _store.Delete(type, obj["metadata"]!["namespace"]!.GetValue<string>(), obj["metadata"]!["name"]!.GetValue<string>());
            }
        }
    }

    private void RunPods()
    {
        var pods = Type("pods");
        var clock = _store.Time.GetUtcNow();
        foreach (var pod in _store.List(pods, null).Items)
        {
            var uid = pod["metadata"]!["uid"]!.GetValue<string>();
            var ns = pod["metadata"]!["namespace"]!.GetValue<string>();
            var name = pod["metadata"]!["name"]!.GetValue<string>();
            if (pod["status"]?["phase"] is null)
            {
                _started[uid] = clock;
                _store.Write(pods, ns, name, current => current is null ? null : Status(current, ready: false, clock));
            }
            else if (_started.TryGetValue(uid, out var started) && clock - started >= _options.PodReadyDelay)
            {
                _started.TryRemove(uid, out _);
                var failing = pod["spec"]?["containers"]?.AsArray().Any(c => FailingImages.ContainsKey(c?["image"]?.GetValue<string>() ?? "")) == true;
                // A Job's pod runs to completion: it exits 0, or 1 when its image fails.
                var runsToCompletion = pod["metadata"]?["ownerReferences"]?.AsArray().Any(o => o?["kind"]?.GetValue<string>() == "Job") == true;
                _store.Write(pods, ns, name, current => current is null ? null
                    : runsToCompletion ? Finished(current, succeeded: !failing, clock)
                    : Status(current, ready: !failing, clock));
            }
        }
    }

    private static JsonObject Status(JsonObject pod, bool ready, DateTimeOffset clock)
    {
        var time = clock.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
        JsonObject Condition(string type, bool value) => new() { ["type"] = type, ["status"] = value ? "True" : "False", ["lastTransitionTime"] = time };
        pod["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["podIP"] = "10.0.0.1",
            ["startTime"] = pod["status"]?["startTime"]?.DeepClone() ?? time,
            ["conditions"] = new JsonArray(Condition("PodScheduled", true), Condition("Initialized", true), Condition("ContainersReady", ready), Condition("Ready", ready)),
            ["containerStatuses"] = new JsonArray([.. (pod["spec"]?["containers"]?.AsArray() ?? []).OfType<JsonObject>().Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c["name"]?.DeepClone(), ["image"] = c["image"]?.DeepClone(), ["ready"] = ready, ["started"] = true,
                ["restartCount"] = 0, ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = time } },
            })]),
        };
        return pod;
    }

    private static JsonObject Finished(JsonObject pod, bool succeeded, DateTimeOffset clock)
    {
        pod = Status(pod, ready: false, clock);
        pod["status"]!["phase"] = succeeded ? "Succeeded" : "Failed";
        foreach (var container in pod["status"]!["containerStatuses"]!.AsArray().OfType<JsonObject>())
        {
            container["started"] = false;
            container["state"] = new JsonObject
            {
                ["terminated"] = new JsonObject { ["exitCode"] = succeeded ? 0 : 1, ["reason"] = succeeded ? "Completed" : "Error", ["finishedAt"] = pod["status"]!["startTime"]!.DeepClone() },
            };
        }
        return pod;
    }

    /// <summary>Whether a pod's Ready condition is True.</summary>
    internal static bool Ready(JsonObject pod) =>
        pod["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True") == true;

    private void Serve(JsonObject crd)
    {
        var spec = crd["spec"];
        var group = spec?["group"]?.GetValue<string>();
        var names = spec?["names"];
        if (group is null || names?["plural"]?.GetValue<string>() is not { } plural || names["kind"]?.GetValue<string>() is not { } kind)
        {
            return;
        }
        foreach (var version in spec!["versions"]?.AsArray().OfType<JsonObject>().Where(v => v["served"]?.GetValue<bool>() != false) ?? [])
        {
            _types.Add(new ResourceType(group, version["name"]!.GetValue<string>(), kind, plural, spec["scope"]?.GetValue<string>() != "Cluster",
                HasStatus: version["subresources"]?["status"] is not null, HasScale: version["subresources"]?["scale"] is not null));
        }
    }
}
