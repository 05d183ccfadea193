using System.Text.Json.Nodes;
using Delivery.Clouddriver.Accounts;
using Delivery.Clouddriver.Kubernetes.Accounts;
using Delivery.Clouddriver.Kubernetes.Inventory;
using Delivery.Clouddriver.Kubernetes.Manifests;
using Delivery.Clouddriver.Kubernetes.Operations;
using Delivery.Clouddriver.Operations;
using Delivery.Clouddriver.Providers;
using Delivery.Contracts.Clouddriver;

namespace Delivery.Clouddriver.Kubernetes;

/// <summary>
/// The <c>kubernetes</c> provider: accounts are clusters, deployed through manifests (<see cref="KubernetesOperations"/>);
/// the common server-group operations are refused (use the manifest stages). The read API shows, from the watch-based
/// inventory, ReplicaSets, StatefulSets and DaemonSets as server groups (named <c>{kind} {name}</c>, region = namespace,
/// grouped by their moniker annotations; a ReplicaSet owned by a Deployment is in the Deployment's cluster), their pods as
/// instances, and Services as load balancers with the share of ready pods each server group has behind them.
/// </summary>
public sealed class KubernetesCloudProvider(KubernetesAccounts accounts, KubernetesInventory inventory) : ICloudProvider
{
    public const string Name = "kubernetes";

    private static readonly string[] ServerGroupKinds = ["ReplicaSet", "StatefulSet", "DaemonSet"];

    public string CloudProvider => Name;

    public bool IsHealthy(CloudAccount account) => accounts.Find(account.Name) is { UnhealthyReason: null };

    public AccountDetails? Describe(CloudAccount account) => accounts.Find(account.Name) is { } a
        ? new AccountDetails(a.Namespaces.Count == 0 ? null : a.Namespaces, [.. KubernetesInventory.Kinds.Select(k => k.Kind)], a.UnhealthyReason)
        : null;

    public Task<JsonObject> CreateServerGroupAsync(CloudAccount account, CreateServerGroup operation, CancellationToken cancellationToken) => Refuse();

    public Task<JsonObject> ResizeServerGroupAsync(CloudAccount account, ResizeServerGroup operation, CancellationToken cancellationToken) => Refuse();

    public Task<JsonObject> EnableServerGroupAsync(CloudAccount account, EnableServerGroup operation, CancellationToken cancellationToken) => Refuse();

    public Task<JsonObject> DisableServerGroupAsync(CloudAccount account, DisableServerGroup operation, CancellationToken cancellationToken) => Refuse();

    public Task<JsonObject> DestroyServerGroupAsync(CloudAccount account, DestroyServerGroup operation, CancellationToken cancellationToken) => Refuse();

    public Task<JsonObject> TerminateInstancesAsync(CloudAccount account, TerminateInstances operation, CancellationToken cancellationToken) => Refuse();

    public Task<JsonObject> UpsertLoadBalancerAsync(CloudAccount account, UpsertLoadBalancer operation, CancellationToken cancellationToken) => Refuse();

    public Task<JsonObject> DeleteLoadBalancerAsync(CloudAccount account, DeleteLoadBalancer operation, CancellationToken cancellationToken) => Refuse();

    public ConsoleOutputView? ConsoleOutput(CloudAccount account, string instanceId) => null;

    public IReadOnlyList<ServerGroupView> ServerGroups(CloudAccount account, string application)
    {
        var pods = inventory.Objects(account.Name, "Pod");
        var services = inventory.Objects(account.Name, "Service");
        var deployments = inventory.Objects(account.Name, "Deployment").ToDictionary(d => d["metadata"]!["uid"]!.GetValue<string>());
        var views = new List<ServerGroupView>();
        foreach (var kind in ServerGroupKinds)
        {
            foreach (var group in inventory.Objects(account.Name, kind))
            {
                var owner = group["metadata"]?["ownerReferences"]?.AsArray().Select(o => o?["uid"]?.GetValue<string>()).OfType<string>()
                    .Select(deployments.GetValueOrDefault).OfType<JsonObject>().FirstOrDefault();
                var monikerSource = owner ?? group;
                if (SpinnakerMetadata.Annotation(monikerSource, SpinnakerMetadata.Application) != application)
                {
                    continue;
                }
                var ns = group["metadata"]!["namespace"]!.GetValue<string>();
                var uid = group["metadata"]!["uid"]!.GetValue<string>();
                var name = SpinnakerMetadata.Name(group);
                var cluster = SpinnakerMetadata.Annotation(monikerSource, SpinnakerMetadata.Cluster) ?? SpinnakerMetadata.DefaultCluster(monikerSource);
                var instances = pods.Where(p => Owned(p, uid)).Select(Instance).ToList();
                var loadBalancers = TrafficSwitch.LoadBalancers(group);
                var templateLabels = SpinnakerMetadata.PodTemplate(group)?["metadata"]?["labels"] as JsonObject;
                var disabled = loadBalancers.Count > 0 && !loadBalancers.Any(lb =>
                    services.FirstOrDefault(s => SpinnakerMetadata.Name(s) == lb && s["metadata"]!["namespace"]!.GetValue<string>() == ns) is { } service && Selects(service, templateLabels));
                var desired = Int(group["spec"]?["replicas"], 1);
                int? sequence = int.TryParse(SpinnakerMetadata.Annotation(group, SpinnakerMetadata.Sequence), out var s) ? s : null;
                views.Add(new ServerGroupView($"{SpinnakerMetadata.KindName(kind)} {name}", cluster, account.Name, ns, Name,
                    new MonikerView(application, cluster, SpinnakerMetadata.Annotation(monikerSource, SpinnakerMetadata.Stack), SpinnakerMetadata.Annotation(monikerSource, SpinnakerMetadata.Detail), sequence),
                    disabled, new ServerGroupCapacity(desired, desired, desired), instances, [.. loadBalancers.Select(lb => $"service {lb}")],
                    Created(group), null, null, null));
            }
        }
        return views;
    }

    public IReadOnlyList<LoadBalancerView> LoadBalancers(CloudAccount account, string application)
    {
        var pods = inventory.Objects(account.Name, "Pod");
        var groups = inventory.Objects(account.Name, "ReplicaSet").Concat(inventory.Objects(account.Name, "StatefulSet")).ToList();
        var views = new List<LoadBalancerView>();
        foreach (var service in inventory.Objects(account.Name, "Service").Where(s => SpinnakerMetadata.Annotation(s, SpinnakerMetadata.Application) == application))
        {
            var ns = service["metadata"]!["namespace"]!.GetValue<string>();
            var serving = pods.Where(p => p["metadata"]!["namespace"]!.GetValue<string>() == ns && Selects(service, p["metadata"]?["labels"] as JsonObject) && Ready(p)).ToList();
            var behind = groups.Where(g => g["metadata"]!["namespace"]!.GetValue<string>() == ns && TrafficSwitch.LoadBalancers(g).Contains(SpinnakerMetadata.Name(service))
                    || serving.Any(p => Owned(p, g["metadata"]!["uid"]!.GetValue<string>())))
                .Select(g =>
                {
                    var healthy = serving.Count(p => Owned(p, g["metadata"]!["uid"]!.GetValue<string>()));
                    return new LoadBalancerServerGroupView($"{SpinnakerMetadata.KindName(g["kind"]!.GetValue<string>())} {SpinnakerMetadata.Name(g)}", healthy == 0,
                        healthy, serving.Count == 0 ? 0 : Math.Round(100.0 * healthy / serving.Count, 1));
                }).ToList();
            views.Add(new LoadBalancerView($"service {SpinnakerMetadata.Name(service)}", account.Name, ns, Name, null, null, behind));
        }
        return views;
    }

    private static InstanceView Instance(JsonObject pod)
    {
        var name = SpinnakerMetadata.Name(pod);
        var health = pod["metadata"]?["deletionTimestamp"] is not null ? "OutOfService"
            : Ready(pod) ? "Up"
            : pod["status"]?["phase"]?.GetValue<string>() is null or "Pending" ? "Starting" : "Down";
        return new InstanceView(name, $"pod {name}", null, null, health, Created(pod), null);
    }

    private static bool Ready(JsonObject pod) =>
        pod["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True") == true;

    private static bool Selects(JsonObject service, JsonObject? labels) =>
        service["spec"]?["selector"] is JsonObject { Count: > 0 } selector && labels is not null
        && selector.All(kv => labels[kv.Key]?.GetValue<string>() == kv.Value?.GetValue<string>());

    private static bool Owned(JsonObject obj, string uid) =>
        obj["metadata"]?["ownerReferences"]?.AsArray().Any(r => r?["uid"]?.GetValue<string>() == uid) == true;

    private static long Created(JsonObject obj) =>
        DateTimeOffset.TryParse(obj["metadata"]?["creationTimestamp"]?.GetValue<string>(), out var t) ? t.ToUnixTimeMilliseconds() : 0;

    private static int Int(JsonNode? node, int fallback) => node is null ? fallback : int.Parse(node.ToJsonString());

    private static Task<JsonObject> Refuse() =>
        throw OperationException.Invalid("Kubernetes accounts deploy through manifests: use deployManifest and the other manifest stages.");
}
