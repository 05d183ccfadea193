using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Api;
using Delivery.Clouddriver.Kubernetes.Manifests;
using Delivery.Clouddriver.Operations;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Kubernetes.Operations;

/// <summary>
/// Traffic of ReplicaSets behind Services, as Spinnaker does it: a ReplicaSet names its Services in
/// <c>traffic.spinnaker.io/load-balancers</c>; it takes traffic while its pods (and pod template) carry the Services'
/// selector labels. Disabling removes those labels, enabling puts them back; the ReplicaSet's own selector must not use
/// them, so its pods stay its own either way.
/// </summary>
public sealed class TrafficSwitch(IOptions<KubernetesProviderOptions> options)
{
    /// <summary>Names the Services on a ReplicaSet manifest and, when <paramref name="enable"/>, gives its pods their selector labels.</summary>
    /// <param name="deployed">Services deployed with the ReplicaSet (not yet applied), looked at before the cluster's.</param>
    public async Task AttachAsync(KubeApi api, JsonObject replicaSet, string ns, IReadOnlyList<string> services, bool enable, IReadOnlyList<JsonObject> deployed, CancellationToken cancellationToken)
    {
        var names = services.Select(s => s.StartsWith("service ", StringComparison.Ordinal) ? s["service ".Length..] : s).ToList();
        var labels = await SelectorsAsync(api, ns, names, cancellationToken, deployed);
        var own = replicaSet["spec"]?["selector"]?["matchLabels"] as JsonObject;
        if (own is not null && labels.Keys.FirstOrDefault(own.ContainsKey) is { } overlap)
        {
            throw OperationException.Invalid($"ReplicaSet {SpinnakerMetadata.Name(replicaSet)} selects on '{overlap}', a label of its load balancers' selectors; traffic could not be switched off without orphaning its pods.");
        }
        SpinnakerMetadata.Map(SpinnakerMetadata.Map(replicaSet, "metadata"), "annotations")[SpinnakerMetadata.LoadBalancers] =
            JsonSerializer.Serialize(names.Select(n => $"service {n}").ToList());
        if (enable && SpinnakerMetadata.PodTemplate(replicaSet) is { } template)
        {
            var podLabels = SpinnakerMetadata.Map(SpinnakerMetadata.Map(template, "metadata"), "labels");
            foreach (var (key, value) in labels)
            {
                podLabels[key] = value;
            }
        }
    }

    /// <summary>Puts the ReplicaSet's pods into (or takes them out of) its Services' traffic.</summary>
    public async Task SetTrafficAsync(KubeApi api, ResourceKind kind, string ns, JsonObject replicaSet, bool enabled, CancellationToken cancellationToken)
    {
        var services = LoadBalancers(replicaSet);
        if (services.Count == 0)
        {
            throw OperationException.Invalid($"{SpinnakerMetadata.KindName(kind.Kind)} {SpinnakerMetadata.Name(replicaSet)} has no load balancers ({SpinnakerMetadata.LoadBalancers}).");
        }
        var labels = await SelectorsAsync(api, ns, services, cancellationToken);
        var patch = new JsonObject([.. labels.Select(l => KeyValuePair.Create(l.Key, enabled ? (JsonNode?)l.Value : null))]);
        var manager = options.Value.FieldManager;
        var name = SpinnakerMetadata.Name(replicaSet);
        await api.PatchAsync(kind, ns, name, new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = patch } } } },
            "application/merge-patch+json", manager, null, cancellationToken);
        var pods = await api.ResolveAsync("v1", "Pod", cancellationToken);
        var uid = replicaSet["metadata"]!["uid"]!.GetValue<string>();
        foreach (var pod in (await api.ListAsync(pods, ns, null, cancellationToken)).Items.Where(p => OwnedBy(p, uid)))
        {
            await api.PatchAsync(pods, ns, pod["metadata"]!["name"]!.GetValue<string>(), new JsonObject { ["metadata"] = new JsonObject { ["labels"] = patch.DeepClone() } },
                "application/merge-patch+json", manager, null, cancellationToken);
        }
    }

    /// <summary>After a red/black or highlander deploy: disables (or deletes) the cluster's other versions.</summary>
    public async Task RetireOlderAsync(KubeApi api, ResourceKind kind, string ns, JsonObject current, string cluster, string application, bool delete, CancellationToken cancellationToken)
    {
        var name = SpinnakerMetadata.Name(current);
        foreach (var other in (await api.ListAsync(kind, ns, null, cancellationToken)).Items.Where(i =>
            SpinnakerMetadata.Name(i) != name && SpinnakerMetadata.Annotation(i, SpinnakerMetadata.Cluster) == cluster
            && SpinnakerMetadata.Annotation(i, SpinnakerMetadata.Application) == application))
        {
            if (delete)
            {
                await api.DeleteAsync(kind, ns, SpinnakerMetadata.Name(other), "Background", cancellationToken);
            }
            else if (await IsEnabledAsync(api, ns, other, cancellationToken))
            {
                await SetTrafficAsync(api, kind, ns, other, enabled: false, cancellationToken);
            }
        }
    }

    /// <summary>The Services a ReplicaSet names (<c>service web</c> -> <c>web</c>).</summary>
    public static List<string> LoadBalancers(JsonObject replicaSet) =>
        SpinnakerMetadata.Annotation(replicaSet, SpinnakerMetadata.LoadBalancers) is { } json && JsonNode.Parse(json) is JsonArray list
            ? [.. list.Select(n => n!.GetValue<string>()).Select(s => s.StartsWith("service ", StringComparison.Ordinal) ? s["service ".Length..] : s)]
            : [];

    /// <summary>Whether the ReplicaSet's pod template carries every selector label of its Services.</summary>
    public static async Task<bool> IsEnabledAsync(KubeApi api, string ns, JsonObject replicaSet, CancellationToken cancellationToken)
    {
        var services = LoadBalancers(replicaSet);
        if (services.Count == 0)
        {
            return false;
        }
        var labels = await SelectorsAsync(api, ns, services, cancellationToken);
        var template = SpinnakerMetadata.PodTemplate(replicaSet)?["metadata"]?["labels"] as JsonObject;
        return labels.All(l => template?[l.Key]?.GetValue<string>() == l.Value);
    }

    private static bool OwnedBy(JsonObject obj, string uid) =>
        obj["metadata"]?["ownerReferences"]?.AsArray().Any(r => r?["uid"]?.GetValue<string>() == uid) == true;

    private static async Task<Dictionary<string, string>> SelectorsAsync(KubeApi api, string ns, IEnumerable<string> services, CancellationToken cancellationToken,
        IReadOnlyList<JsonObject>? deployed = null)
    {
        var kind = await api.ResolveAsync("v1", "Service", cancellationToken);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in services)
        {
            var service = deployed?.FirstOrDefault(d => SpinnakerMetadata.Name(d) == name && d["metadata"]?["namespace"]?.GetValue<string>() == ns)
                ?? await api.GetAsync(kind, ns, name, cancellationToken)
                ?? throw OperationException.Invalid($"Load balancer service {name} does not exist in namespace {ns}.");
            foreach (var (key, value) in service["spec"]?["selector"] as JsonObject ?? [])
            {
                labels[key] = value!.GetValue<string>();
            }
        }
        return labels;
    }
}
