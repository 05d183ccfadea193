using System.Text.Json.Nodes;
using Delivery.Clouddriver.Kubernetes.Accounts;
using Delivery.Clouddriver.Kubernetes.Api;
using Delivery.Clouddriver.Kubernetes.Contracts;
using Delivery.Clouddriver.Kubernetes.Manifests;
using Delivery.Clouddriver.Operations;
using Microsoft.Extensions.Options;

namespace Delivery.Clouddriver.Kubernetes.Operations;

/// <summary>
/// <c>deployManifest</c> (Clouddriver's KubernetesDeployManifestOperation): reads and checks every manifest and resolves
/// its kind and namespace before applying any; annotates them with the moniker; versions the versioned kinds and rewrites
/// references to versioned ConfigMaps/Secrets; applies in kind order (namespaces and definitions first, workloads last)
/// with server-side apply; waits until each is stable; then applies the traffic strategy and trims old versions.
/// </summary>
public sealed class Deployer(IOptions<KubernetesProviderOptions> options, ManifestWaiter waiter, TrafficSwitch traffic)
{
    private static readonly string[] Order = ["Namespace", "CustomResourceDefinition", "ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "PersistentVolumeClaim", "Service", "Ingress", "NetworkPolicy"];

    private sealed record Planned(JsonObject Manifest, ResourceKind Kind, string? Namespace, string Cluster, bool Versioned);

    public async Task<JsonObject> DeployAsync(KubernetesAccount account, DeployManifest op, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var manifests = ManifestReader.Read(op.Manifests, o.MaxManifestsPerDeploy);
        var strategy = op.TrafficManagement is { Enabled: true, Options: { } t } ? t.Strategy : "none";
        if (strategy is not ("none" or "redblack" or "highlander"))
        {
            throw OperationException.Invalid($"Unknown traffic management strategy '{strategy}'; known: redblack, highlander, none.");
        }
        var api = account.RequireApi();
        var application = op.Moniker?.App;
        var planned = new List<Planned>();
        foreach (var manifest in manifests)
        {
            ResourceKind kind;
            try
            {
                kind = await api.ResolveAsync(manifest["apiVersion"]!.GetValue<string>(), SpinnakerMetadata.Kind(manifest), cancellationToken);
            }
            catch (KubeApiException e) when (e.Status == 404)
            {
                throw OperationException.Invalid($"{SpinnakerMetadata.Kind(manifest)} {SpinnakerMetadata.Name(manifest)}: {e.Message}.");
            }
            var ns = kind.Namespaced ? op.NamespaceOverride ?? manifest["metadata"]?["namespace"]?.GetValue<string>() ?? account.DefaultNamespace : null;
            if (ns is not null && !account.Allows(ns))
            {
                throw OperationException.Invalid($"Account '{account.Name}' may not deploy to namespace '{ns}' (allowed: {string.Join(", ", account.Namespaces)}).");
            }
            if (ns is not null)
            {
                manifest["metadata"]!["namespace"] = ns;
            }
            application ??= SpinnakerMetadata.Annotation(manifest, SpinnakerMetadata.Application);
            planned.Add(new Planned(manifest, kind, ns, op.Moniker?.Cluster ?? SpinnakerMetadata.Annotation(manifest, SpinnakerMetadata.Cluster) ?? SpinnakerMetadata.DefaultCluster(manifest), Versioning.IsVersioned(manifest)));
        }
        if (string.IsNullOrEmpty(application))
        {
            throw OperationException.Invalid("moniker.app (the application) is required.");
        }

        // Versions first, so that workloads can point at the new ConfigMap/Secret versions.
        var configMaps = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        var sequences = new Dictionary<Planned, int>();
        foreach (var p in planned.Where(p => p.Versioned))
        {
            var name = SpinnakerMetadata.Name(p.Manifest);
            var existing = (await api.ListAsync(p.Kind, p.Namespace, null, cancellationToken)).Items
                .Select(i => Versioning.SequenceOf(name, i["metadata"]!["name"]!.GetValue<string>())).OfType<int>().DefaultIfEmpty(-1).Max();
            var versioned = Versioning.VersionedName(name, existing + 1);
            sequences[p] = existing + 1;
            p.Manifest["metadata"]!["name"] = versioned;
            (p.Kind.Kind == "ConfigMap" ? configMaps : p.Kind.Kind == "Secret" ? secrets : null)?.TryAdd(name, versioned);
        }
        foreach (var p in planned)
        {
            SpinnakerMetadata.Annotate(p.Manifest, application, p.Cluster, op.Moniker?.Stack, op.Moniker?.Detail, sequences.TryGetValue(p, out var s) ? s : null);
            Versioning.RewriteReferences(p.Manifest, configMaps, secrets);
        }
        var services = strategy == "none" && op.TrafficManagement is not { Enabled: true } ? [] : op.TrafficManagement?.Options?.Services ?? [];
        var enableTraffic = op.TrafficManagement?.Options?.EnableTraffic ?? true;
        foreach (var p in planned.Where(p => services.Count > 0 && p.Kind.Kind == "ReplicaSet"))
        {
            await traffic.AttachAsync(api, p.Manifest, p.Namespace!, services, enableTraffic,
                [.. planned.Where(s => s.Kind.Kind == "Service").Select(s => s.Manifest)], cancellationToken);
        }

        var applied = new List<(Planned Plan, JsonObject Live)>();
        foreach (var p in planned.OrderBy(p => Array.IndexOf(Order, p.Kind.Kind) is var i and >= 0 ? i : Order.Length))
        {
            try
            {
                applied.Add((p, await api.ApplyAsync(p.Kind, p.Namespace, p.Manifest, o.FieldManager, cancellationToken)));
            }
            catch (KubeApiException e)
            {
                throw OperationException.Failed($"Applying {p.Kind.Kind} {SpinnakerMetadata.Name(p.Manifest)} failed: {e.Message}");
            }
        }
        foreach (var (p, live) in applied)
        {
            await waiter.WaitStableAsync(api, p.Kind, p.Namespace, SpinnakerMetadata.Name(live), cancellationToken);
        }
        foreach (var (p, live) in applied.Where(a => a.Plan.Versioned))
        {
            if (strategy != "none" && p.Kind.Kind == "ReplicaSet")
            {
                await traffic.RetireOlderAsync(api, p.Kind, p.Namespace!, live, p.Cluster, application, strategy == "highlander", cancellationToken);
            }
            await TrimHistoryAsync(api, p, live, cancellationToken);
        }

        var byNamespace = new JsonObject();
        foreach (var (p, live) in applied)
        {
            var key = p.Namespace ?? "";
            (byNamespace[key] as JsonArray ?? (JsonArray)(byNamespace[key] = new JsonArray())).Add($"{SpinnakerMetadata.KindName(p.Kind.Kind)} {SpinnakerMetadata.Name(live)}");
        }
        return new JsonObject
        {
            ["manifestNamesByNamespace"] = byNamespace,
            ["deployedManifests"] = new JsonArray([.. applied.Select(a => (JsonNode)$"{SpinnakerMetadata.KindName(a.Plan.Kind.Kind)} {SpinnakerMetadata.Name(a.Live)}")]),
            ["manifests"] = new JsonArray([.. applied.Select(a => (JsonNode)a.Live)]),
        };
    }

    /// <summary>Deletes the oldest versions beyond <c>strategy.spinnaker.io/max-version-history</c>.</summary>
    private static async Task TrimHistoryAsync(KubeApi api, Planned p, JsonObject live, CancellationToken cancellationToken)
    {
        if (!int.TryParse(SpinnakerMetadata.Annotation(live, SpinnakerMetadata.MaxVersionHistory), out var keep) || keep < 1)
        {
            return;
        }
        var name = Versioning.BaseName(SpinnakerMetadata.Name(live));
        var versions = (await api.ListAsync(p.Kind, p.Namespace, null, cancellationToken)).Items
            .Select(i => (Name: i["metadata"]!["name"]!.GetValue<string>(), Sequence: Versioning.SequenceOf(name, i["metadata"]!["name"]!.GetValue<string>())))
            .Where(v => v.Sequence is not null).OrderByDescending(v => v.Sequence).ToList();
        foreach (var old in versions.Skip(keep))
        {
            await api.DeleteAsync(p.Kind, p.Namespace, old.Name, "Background", cancellationToken);
        }
    }
}
