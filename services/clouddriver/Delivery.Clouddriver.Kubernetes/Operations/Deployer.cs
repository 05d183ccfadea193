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
/// (server-side apply, or the manifest's <see cref="DeployStrategy"/>); records each as an artifact
/// (<c>artifact.spinnaker.io/*</c>); <c>use-source-capacity</c> keeps the replicas of the version or object it replaces;
/// waits until each is stable, reporting why it waits to <see cref="OperationProgress"/>; then applies the traffic strategy
/// and trims old versions.
/// </summary>
public sealed class Deployer(IOptions<KubernetesProviderOptions> options, ManifestWaiter waiter, TrafficSwitch traffic, OperationProgress progress, TimeProvider time)
{
    private static readonly string[] Order = ["Namespace", "CustomResourceDefinition", "ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "PersistentVolumeClaim", "Service", "Ingress", "NetworkPolicy"];

    private sealed record Planned(JsonObject Manifest, string Name, ResourceKind Kind, string? Namespace, string Cluster, bool Versioned, ManifestStrategy Strategy);

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
            planned.Add(new Planned(manifest, SpinnakerMetadata.Name(manifest), kind, ns, op.Moniker?.Cluster ?? SpinnakerMetadata.Annotation(manifest, SpinnakerMetadata.Cluster) ?? SpinnakerMetadata.DefaultCluster(manifest), Versioning.IsVersioned(manifest), ManifestStrategy.Of(manifest)));
        }
        if (string.IsNullOrEmpty(application))
        {
            throw OperationException.Invalid("moniker.app (the application) is required.");
        }

        // Versions first, so that workloads can point at the new ConfigMap/Secret versions.
        var configMaps = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        var sequences = new Dictionary<Planned, int>();
        var sources = new Dictionary<Planned, JsonObject>();
        foreach (var p in planned.Where(p => p.Versioned))
        {
            var existing = (await api.ListAsync(p.Kind, p.Namespace, null, cancellationToken)).Items
                .Select(i => (Item: i, Sequence: Versioning.SequenceOf(p.Name, i["metadata"]!["name"]!.GetValue<string>())))
                .Where(v => v.Sequence is not null).OrderBy(v => v.Sequence).ToList();
            var next = existing.Count == 0 ? 0 : existing[^1].Sequence!.Value + 1;
            if (existing.Count > 0)
            {
                sources[p] = existing[^1].Item;
            }
            var versioned = Versioning.VersionedName(p.Name, next);
            sequences[p] = next;
            p.Manifest["metadata"]!["name"] = versioned;
            (p.Kind.Kind == "ConfigMap" ? configMaps : p.Kind.Kind == "Secret" ? secrets : null)?.TryAdd(p.Name, versioned);
        }
        var artifacts = new Dictionary<Planned, JsonObject>();
        foreach (var p in planned)
        {
            int? sequence = sequences.TryGetValue(p, out var s) ? s : null;
            SpinnakerMetadata.Annotate(p.Manifest, application, p.Cluster, op.Moniker?.Stack, op.Moniker?.Detail, sequence);
            artifacts[p] = ManifestArtifacts.Of(p.Manifest, p.Name, account.Name, p.Namespace, sequence);
            ManifestArtifacts.Annotate(p.Manifest, artifacts[p]);
            Versioning.RewriteReferences(p.Manifest, configMaps, secrets);
            if (p.Strategy.UseSourceCapacity && ManifestStrategy.Scalable.Contains(p.Kind.Kind)
                && (sources.GetValueOrDefault(p) ?? await api.GetAsync(p.Kind, p.Namespace, p.Name, cancellationToken)) is { } source
                && source["spec"]?["replicas"] is { } replicas)
            {
                SpinnakerMetadata.Map(p.Manifest, "spec")["replicas"] = replicas.DeepClone();
            }
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
                applied.Add((p, await PutAsync(api, p, cancellationToken)));
            }
            catch (KubeApiException e)
            {
                throw OperationException.Failed($"Applying {p.Kind.Kind} {SpinnakerMetadata.Name(p.Manifest)} failed: {e.Message}");
            }
        }
        foreach (var (p, live) in applied)
        {
            await waiter.WaitStableAsync(api, p.Kind, p.Namespace, SpinnakerMetadata.Name(live), cancellationToken, reason => progress.Report(op.OperationId, reason));
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
            ["createdArtifacts"] = new JsonArray([.. applied.Select(a => (JsonNode)artifacts[a.Plan].DeepClone())]),
        };
    }

    /// <summary>Puts one manifest on the cluster by its deploy strategy (Clouddriver's KubernetesHandler.deploy).</summary>
    private async Task<JsonObject> PutAsync(KubeApi api, Planned p, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var name = SpinnakerMetadata.Name(p.Manifest);
        switch (p.Strategy.Deploy)
        {
            case DeployStrategy.Replace:
                return await api.ReplaceAsync(p.Kind, p.Namespace, p.Manifest, o.FieldManager, cancellationToken);
            case DeployStrategy.Recreate when await api.DeleteAsync(p.Kind, p.Namespace, name, "Foreground", cancellationToken):
                // The new object must not meet the old one (or its pods' owner): wait until the delete has finished.
                var deadline = time.GetUtcNow().AddSeconds(o.StableTimeoutSeconds);
                while (await api.GetAsync(p.Kind, p.Namespace, name, cancellationToken) is not null)
                {
                    if (time.GetUtcNow() > deadline)
                    {
                        throw OperationException.Failed($"{SpinnakerMetadata.KindName(p.Kind.Kind)} {name} was not deleted within {o.StableTimeoutSeconds} s, so it could not be recreated.");
                    }
                    await Task.Delay(TimeSpan.FromMilliseconds(o.StatusPollMs), time, cancellationToken);
                }
                break;
        }
        return await api.ApplyAsync(p.Kind, p.Namespace, p.Manifest, o.FieldManager, cancellationToken);
    }

    /// <summary>Deletes the oldest versions beyond <c>strategy.spinnaker.io/max-version-history</c>.</summary>
    private static async Task TrimHistoryAsync(KubeApi api, Planned p, JsonObject live, CancellationToken cancellationToken)
    {
        if (!int.TryParse(SpinnakerMetadata.Annotation(live, SpinnakerMetadata.MaxVersionHistory), out var keep) || keep < 1)
        {
            return;
        }
        var name = p.Name;
        var versions = (await api.ListAsync(p.Kind, p.Namespace, null, cancellationToken)).Items
            .Select(i => (Name: i["metadata"]!["name"]!.GetValue<string>(), Sequence: Versioning.SequenceOf(name, i["metadata"]!["name"]!.GetValue<string>())))
            .Where(v => v.Sequence is not null).OrderByDescending(v => v.Sequence).ToList();
        foreach (var old in versions.Skip(keep))
        {
            await api.DeleteAsync(p.Kind, p.Namespace, old.Name, "Background", cancellationToken);
        }
    }
}
